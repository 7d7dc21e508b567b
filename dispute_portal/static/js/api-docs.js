// The API's reference, drawn by Swagger UI (served by the portal: static/vendor/swagger-ui)
// from the OpenAPI document the page names. "Try it out" sends the token typed into
// "Authorize" only to this portal.
(function () {
  "use strict";
  var box = document.getElementById("swagger-ui");
  if (!box || typeof window.SwaggerUIBundle !== "function") { return; }
  // A layout of the page's own: Swagger UI's draws a second <h1> (the page has its heading
  // and introduction) and a second <main> inside the page's; this one draws the
  // Authorize button, the operations and the schemas, in a plain <div>.
  function PortalLayout(system) {
    var h = system.React.createElement;
    return {
      components: {
        PortalLayout: function (props) {
          var get = props.getComponent;
          var Errors = get("errors", true);
          var Authorize = get("AuthorizeBtnContainer", true);
          var Operations = get("operations", true);
          var Models = get("Models", true);
          return h("div", { className: "swagger-ui" },
            h(Errors),
            h("div", { className: "scheme-container" },
              h("div", { className: "wrapper" }, h(Authorize))),
            h("div", { className: "wrapper" }, h(Operations)),
            h("div", { className: "wrapper" }, h(Models)));
        }
      }
    };
  }
  window.SwaggerUIBundle({
    url: box.dataset.specUrl,
    domNode: box,
    deepLinking: false,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    syntaxHighlight: false,
    validatorUrl: null,
    plugins: [PortalLayout],
    layout: "PortalLayout"
  });
})();
