"""The permission matrix: every route of `app.url_map` × every role × objects owned by others.

One world (built once for the module, rolled back at its end): investor A's cases in every
state a route needs, with the whole cast of the case — the respondent's representative,
counsel for the claimant, the mediator, the sole arbitrator (the chair), the clerk — and
people with no part in them (another investor, another mediator, the admin). One browser
per role, logged in once. Every cell of the table below is one request, run in a savepoint
that is rolled back afterwards, so no cell depends on another.

What is checked, cell by cell:
- the answer is the one written in the table;
- a refusal (login, 403, 404, a refusal redirect, an invalid form 400/409, an empty form
  re-rendered) changed nothing: the row counts of every table and the cases' versions are
  the same after it;
- a 404 for an object (case, document, ruling, conflict) is the very answer a non-existent
  id gets: same status, same page (but for the request id and the address). The two pages
  are the portal's to compare, whatever the database: that check (half the requests) runs
  in the SQLite pass; the PostgreSQL pass asks every cell and checks that a refused POST
  changed nothing (a GET cannot write there unless its view is marked to: db.py).

A route that has no row in the table fails `test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select, text

from dispute_portal.accounts.queries import lodging_invoice
from dispute_portal.api.models import TokenScope
from dispute_portal.auth.models import Role
from dispute_portal.awards import operations as awards
from dispute_portal.cases.models import Visibility
from dispute_portal.db import Base, db
from dispute_portal.deadlines import calendars
from dispute_portal.integrity.checkpoints import sign_checkpoint, signer_from
from dispute_portal.neutrals import operations as neutrals
from dispute_portal.neutrals.models import Capacity
from dispute_portal.pagecache.store import MemoryStore
from dispute_portal.parties import operations as parties
from dispute_portal.parties.models import Side, Standing
from dispute_portal.proceedings import operations as proceedings
from dispute_portal.rulings.models import Ruling
from dispute_portal.webhooks import operations as webhooks
from dispute_portal.workflow.states import CaseState
from tests.api_client import ApiClient, make_token
from tests.conftest import Browser, savepoint, shared_connection
from tests.factories import Factory

# The columns of the table, in order.
ROLES = ("anon", "A", "B", "resp", "counsel", "med", "med2", "arb", "co", "clerk", "admin", "fin")
# anon     not logged in
# A        investor A, the claimant: every case below is theirs
# B        another investor, on none of them
# resp     the respondent's representative on A's cases (from registration on)
# counsel  counsel for the claimant on those cases (an investor account)
# med      the mediator of A's cases (proposed on the registered one, accepted on the others;
#          the former mediator once their mediation ended: the arbitration, the award)
# med2     another mediator
# arb      the presiding arbitrator of the arbitration (a tribunal of three), the sole
#          arbitrator of the awarded case
# co       a co-arbitrator of the arbitration: a member, not the chair
# clerk    a clerk
# admin    an admin
# fin      a finance officer (the case accounts only)

# The answers:
#   200 400 403 404 409  that status
#   302   a redirect (not to the login page): the POST did what it was asked
#   L     a redirect to the login page with ?next= (login required); nothing changed
#   L0    a redirect to the login page itself (no login is waiting for a second factor)
#   OUT   a redirect to the login page after every session of the user was ended
#   NOP   a redirect back, the refusal flashed on the next page; nothing changed
# A cell marked with * is the answer the portal SHOULD give and does not today (see
# WRONG_TODAY below): it fails until the portal is fixed.
#
# Objects (ids of the world):
#   {draft} {sub} {reg} {med} {arb} {awd}  A's cases: draft, submitted, registered (mediator
#       proposed), mediation, arbitration (tribunal constituted), awarded
#   {d_draft}  the draft's claim document          {d_pub}  the arbitration's claim document
#   {d_clerk}  clerk-only, filed by the respondent in the arbitration
#   {d_med}    for the mediator, filed by A during the arbitration case's mediation
#   {d_trib}   for the tribunal, filed by the respondent in the arbitration
#   (on {arb} and {awd}, med is the former mediator: it reads {d_med}, not {d_trib})
#   {r_receipt} {r_reg} {r_award}  filing receipt (sub), registration notice (arb), award (awd)
#   {n_reg}    the registered case's number (its address in the public register)
#   {batch}    a printed batch       {conflict} a conflict of a third mediator
#   {token}    an invitation to someone with no account; {token_b} one sent to B
#   {cal_day}  a day on the draft list of the calendar (an extra day off)
# A POST's form data follows '#' (nothing else is sent but the CSRF token).
MATRIX_TABLE = """
# method path                                   ano A   B   rsp cns med md2 arb co  clk adm fin
# The public pages and the account ---------------------------------------------------------
GET   /                                         200 302 302 302 302 302 302 302 302 302 302 302
GET   /healthz                                  200 200 200 200 200 200 200 200 200 200 200 200
GET   /login                                    200 302 302 302 302 302 302 302 302 302 302 302
POST  /login                                    200 302 302 302 302 302 302 302 302 302 302 302
GET   /register                                 200 302 302 302 302 302 302 302 302 302 302 302
POST  /register                                 400 302 302 302 302 302 302 302 302 302 302 302
GET   /register/sent                            200 200 200 200 200 200 200 200 200 200 200 200
GET   /activate/not-a-token                     404 404 404 404 404 404 404 404 404 404 404 404
POST  /activate/not-a-token                     404 404 404 404 404 404 404 404 404 404 404 404
POST  /language                                 NOP NOP NOP NOP NOP NOP NOP NOP NOP NOP NOP NOP
GET   /password/forgot                          200 200 200 200 200 200 200 200 200 200 200 200
POST  /password/forgot                          200 200 200 200 200 200 200 200 200 200 200 200
GET   /password/forgot/sent                     200 200 200 200 200 200 200 200 200 200 200 200
GET   /password/reset/not-a-token               404 404 404 404 404 404 404 404 404 404 404 404
POST  /password/reset/not-a-token               404 404 404 404 404 404 404 404 404 404 404 404
GET   /verify                                   200 200 200 200 200 200 200 200 200 200 200 200
POST  /verify                                   400 400 400 400 400 400 400 400 400 400 400 400
GET   /verify/checkpoint                        200 200 200 200 200 200 200 200 200 200 200 200
GET   /public-register                          200 200 200 200 200 200 200 200 200 200 200 200
GET   /public-register?sector=none              400 400 400 400 400 400 400 400 400 400 400 400
GET   /public-register/{n_reg}                  200 200 200 200 200 200 200 200 200 200 200 200
GET   /public-register/ADR-1900-0001            404 404 404 404 404 404 404 404 404 404 404 404
GET   /public-register.csv                      200 200 200 200 200 200 200 200 200 200 200 200
GET   /public-register.json                     200 200 200 200 200 200 200 200 200 200 200 200
GET   /public-register.atom                     200 200 200 200 200 200 200 200 200 200 200 200
GET   /sitemap.xml                              200 200 200 200 200 200 200 200 200 200 200 200
GET   /sitemap-1.xml                            200 200 200 200 200 200 200 200 200 200 200 200
GET   /sitemap-9.xml                            404 404 404 404 404 404 404 404 404 404 404 404
GET   /fees                                     200 200 200 200 200 200 200 200 200 200 200 200
GET   /fees?amount=1200000&currency=KZT         200 200 200 200 200 200 200 200 200 200 200 200
GET   /fees?amount=many&currency=KZT            400 400 400 400 400 400 400 400 400 400 400 400
GET   /admin/fees                               L   403 403 403 403 403 403 403 403 403 200 403
POST  /admin/fees                               L   403 403 403 403 403 403 403 403 403 400 403
GET   /account                                  L   200 200 200 200 200 200 200 200 200 200 200
POST  /account                                  L   400 400 400 400 400 400 400 400 400 400 400
POST  /account/logout-everywhere                L   OUT OUT OUT OUT OUT OUT OUT OUT OUT OUT OUT
GET   /account/tokens                           L   200 200 200 200 200 200 200 200 200 200 200
# The API (issue 18): each role's person calls with a read-and-write token (anon: none) -----
GET   /api/v1/openapi.json                      200 200 200 200 200 200 200 200 200 200 200 200
GET   /api/v1/docs                              200 200 200 200 200 200 200 200 200 200 200 200
GET   /api/v1/me                                401 200 200 200 200 200 200 200 200 200 200 200
GET   /api/v1/notifications                     401 200 200 200 200 200 200 200 200 200 200 200
POST  /api/v1/notifications/read                401 204 204 204 204 204 204 204 204 204 204 204
GET   /api/v1/cases                             401 200 200 200 200 200 200 200 200 200 200 200
GET   /api/v1/cases?limit=0                     401 422 422 422 422 422 422 422 422 422 422 422
GET   /api/v1/cases/{draft}                     401 200 404 404 404 404 404 404 404 404 404 404
GET   /api/v1/cases/{arb}                       401 200 404 200 200 200 404 200 200 200 404 404
GET   /api/v1/cases/{awd}                       401 200 404 200 200 200 404 200 404 200 404 404
GET   /api/v1/cases/{arb}/events                401 200 404 200 200 200 404 200 200 200 404 404
GET   /api/v1/cases/{arb}/events?limit=0        401 422 404 422 422 422 404 422 422 422 404 404
GET   /api/v1/cases/{arb}/documents             401 200 404 200 200 200 404 200 200 200 404 404
GET   /api/v1/cases/{arb}/documents/{d_pub}     401 200 404 200 200 200 404 200 200 200 404 404
GET   /api/v1/cases/{arb}/documents/{d_clerk}   401 404 404 200 404 404 404 404 404 200 404 404
GET   /api/v1/cases/{arb}/documents/{d_med}     401 200 404 404 200 200 404 404 404 200 404 404
GET   /api/v1/cases/{arb}/documents/{d_trib}    401 404 404 200 404 404 404 200 200 200 404 404
GET   /api/v1/cases/{arb}/documents/{d_draft}   401 404 404 404 404 404 404 404 404 404 404 404
POST  /api/v1/cases/{draft}/documents           401 422 404 404 404 404 404 404 404 404 404 404
POST  /api/v1/cases/{arb}/documents             401 403 404 403 403 403 404 403 403 403 404 404
GET   /api/v1/cases/{arb}/submissions           401 200 404 200 200 200 404 200 200 200 404 404
GET   /api/v1/cases/{arb}/submissions/{s_trib}  401 200 404 200 200 200 404 200 200 200 404 404
GET   /api/v1/cases/{awd}/submissions/{s_trib}  401 404 404 404 404 404 404 404 404 404 404 404
POST  /api/v1/cases/{arb}/submissions           401 422 404 422 422 403 404 403 403 403 404 404
POST  /api/v1/cases/{awd}/submissions#title=Late 401 201 404 201 201 403 404 403 404 403 404 404
POST  /api/v1/cases/{arb}/acts/withdraw          401 200 404 403 200 403 404 403 403 403 404 404
POST  /api/v1/cases/{arb}/acts/no_such_act       401 404 404 404 404 404 404 404 404 404 404 404
GET   /api/v1/cases/{awd}/rulings               401 200 404 200 200 200 404 200 404 200 404 404
GET   /api/v1/cases/{sub}/rulings/{r_receipt}   401 200 404 404 404 404 404 404 404 200 404 404
GET   /api/v1/cases/{awd}/rulings/{r_award}     401 200 404 200 200 200 404 200 404 200 404 404
GET   /api/v1/cases/{arb}/rulings/{r_award}     401 404 404 404 404 404 404 404 404 404 404 404
GET   /api/v1/cases/{sub}/rulings/{r_inv}       401 404 404 404 404 404 404 404 404 404 404 404
GET   /api/v1/verify?code=ABCD-EFGH-JKMN        200 200 200 200 200 200 200 200 200 200 200 200
GET   /api/v1/verify                            422 422 422 422 422 422 422 422 422 422 422 422
POST  /api/v1/verify                            422 422 422 422 422 422 422 422 422 422 422 422
GET   /api/v1/register                          200 200 200 200 200 200 200 200 200 200 200 200
GET   /api/v1/register/{n_reg}                  200 200 200 200 200 200 200 200 200 200 200 200
GET   /api/v1/register/ADR-1900-1               404 404 404 404 404 404 404 404 404 404 404 404
POST  /api/v1/oauth/token#grant_type=client_credentials 401 401 401 401 401 401 401 401 401 401 401 401
# Webhooks: A's subscription is its own (a form body is not the JSON asked for: 422).
GET   /api/v1/webhooks                          401 200 200 200 200 200 200 200 200 200 200 200
GET   /api/v1/webhooks/event-types              401 200 200 200 200 200 200 200 200 200 200 200
POST  /api/v1/webhooks                          401 422 422 422 422 422 422 422 422 422 422 422
GET   /api/v1/webhooks/{hook}                   401 200 404 404 404 404 404 404 404 404 404 404
GET   /api/v1/webhooks/{hook}/secret            401 200 404 404 404 404 404 404 404 404 404 404
GET   /api/v1/webhooks/{hook}/deliveries        401 200 404 404 404 404 404 404 404 404 404 404
GET   /api/v1/webhooks/{hook}/deliveries?status=sent 401 422 404 404 404 404 404 404 404 404 404 404
DELETE /api/v1/webhooks/{hook}                  401 204 404 404 404 404 404 404 404 404 404 404
POST  /api/v1/webhooks/{hook}/deliveries/987654321/retry 401 404 404 404 404 404 404 404 404 404 404 404
POST  /account/tokens                           L   400 400 400 400 400 400 400 400 400 400 400
POST  /account/tokens/987654321/revoke          L   404 404 404 404 404 404 404 404 404 404 404
GET   /admin/api-clients                        L   403 403 403 403 403 403 403 403 403 200 403
POST  /admin/api-clients                        L   403 403 403 403 403 403 403 403 403 400 403
POST  /admin/api-clients/987654321/revoke       L   403 403 403 403 403 403 403 403 403 404 403
GET   /admin/webhooks                           L   403 403 403 403 403 403 403 403 403 200 403
GET   /admin/webhooks?show=failed&page=2        L   403 403 403 403 403 403 403 403 403 404 403
POST  /admin/webhooks/{hook}/stop               L   403 403 403 403 403 403 403 403 403 302 403
POST  /admin/webhooks/{hook}/resume             L   403 403 403 403 403 403 403 403 403 NOP 403
POST  /admin/webhooks/987654321/stop            L   403 403 403 403 403 403 403 403 403 404 403
POST  /admin/webhooks/deliveries/987654321/retry L   403 403 403 403 403 403 403 403 403 404 403
POST  /logout                                   L   302 302 302 302 302 302 302 302 302 302 302
GET   /mfa/                                     L   200 200 200 200 200 200 200 200 200 200 200
POST  /mfa/disable                              L   400 400 400 400 400 400 400 400 400 400 400
POST  /mfa/recovery-codes                       L   400 400 400 400 400 400 400 400 400 400 400
GET   /mfa/enrol                                L0  200 200 403 200 403 403 403 403 403 403 403
POST  /mfa/enrol                                L0  400 400 403 400 403 403 403 403 403 403 403
GET   /mfa/link/not-a-token                     404 404 404 404 404 404 404 404 404 404 404 404
POST  /mfa/send-link                            L0  302 302 302 302 302 302 302 302 302 302 302
POST  /mfa/users/999999/reset                   L   403 403 403 403 403 403 403 403 403 404 403
GET   /mfa/verify                               L0  302 302 302 302 302 302 302 302 302 302 302
POST  /mfa/verify                               L0  302 302 302 302 302 302 302 302 302 302 302
GET   /notifications                            L   200 200 200 200 200 200 200 200 200 200 200
POST  /notifications                            L   302 302 302 302 302 302 302 302 302 302 302
# Joining by invitation: the link is the secret; only its addressee can use it ---------------
GET   /join/{token}                             200 200 200 200 200 200 200 200 200 200 200 200
POST  /join/{token}                             400 409 409 409 409 409 409 409 409 409 409 409
GET   /join/{token_b}                           200 200 200 200 200 200 200 200 200 200 200 200
POST  /join/{token_b}                           200 409 302 409 409 409 409 409 409 409 409 409
GET   /join/not-a-token                         404 404 404 404 404 404 404 404 404 404 404 404
POST  /join/not-a-token                         404 404 404 404 404 404 404 404 404 404 404 404
# Staff pages --------------------------------------------------------------------------------
GET   /admin/users                              L   403 403 403 403 403 403 403 403 403 200 403
POST  /admin/users                              L   403 403 403 403 403 403 403 403 403 400 403
GET   /admin/users/{u_arb}                      L   403 403 403 403 403 403 403 403 403 200 403
POST  /admin/users/{u_arb}                      L   403 403 403 403 403 403 403 403 403 302 403
GET   /admin/users/987654321                    L   403 403 403 403 403 403 403 403 403 404 403
GET   /admin/outbox                             L   403 403 403 403 403 403 403 403 403 200 403
POST  /admin/outbox                             L   403 403 403 403 403 403 403 403 403 NOP 403
GET   /admin/rules/                             L   403 403 403 403 403 403 403 403 403 200 403
POST  /admin/rules/                             L   403 403 403 403 403 403 403 403 403 400 403
GET   /admin/calendar/                          L   403 403 403 403 403 403 403 403 403 200 403
POST  /admin/calendar/                          L   403 403 403 403 403 403 403 403 403 400 403
POST  /admin/calendar/publish                   L   403 403 403 403 403 403 403 403 403 400 403
POST  /admin/calendar/days/{cal_day}/remove     L   403 403 403 403 403 403 403 403 403 302 403
POST  /admin/calendar/days/999999/remove        L   403 403 403 403 403 403 403 403 403 404 403
GET   /caseload                                 L   403 403 403 403 200 200 200 200 403 403 403
GET   /conflicts                                L   403 403 403 403 200 200 200 200 403 403 403
POST  /conflicts                                L   403 403 403 403 400 400 400 400 403 403 403
POST  /conflicts#conflict_id={conflict}         L   403 403 403 403 404 404 404 404 403 403 403
# The case account (issue 16): the account page, its documents, a payment, a waiver ------
GET   /cases/{sub}/account                      L   200 404 404 404 404 404 404 404 200 404 200
GET   /cases/{reg}/account                      L   200 404 200 200 404 404 404 404 200 404 200
GET   /cases/{arb}/account                      L   200 404 200 200 404 404 404 404 200 404 200
GET   /cases/{med}/account                      L   200 404 200 200 404 404 404 404 200 404 200
GET   /cases/{draft}/account                    L   200 404 404 404 404 404 404 404 404 404 404
GET   /cases/{sub}/account/documents/{r_inv}    L   200 404 404 404 404 404 404 404 200 404 200
GET   /cases/{sub}/account/documents/{r_receipt} L  404 404 404 404 404 404 404 404 404 404 404
POST  /cases/{sub}/account/payments#invoice={inv}&amount=10.00 L 403 404 404 404 404 404 404 404 403 404 400
POST  /cases/{sub}/account/waiver#invoice={inv}&waive-reason=Hardship L 403 404 404 404 404 404 404 404 400 404 404
POST  /cases/{med}/account/advances#advance-amount=100.00&advance-currency=USD&advance-claimant_percent=50 L 403 404 403 403 404 404 404 404 400 404 403
# The neutrals' fee notes: a neutral of the case (its own), the registry, the officer ------
GET   /cases/{med}/fee-notes                    L   404 404 404 404 200 404 404 404 200 404 200
GET   /cases/{arb}/fee-notes                    L   404 404 404 404 200 404 200 200 200 404 200
GET   /cases/{sub}/fee-notes                    L   404 404 404 404 404 404 404 404 200 404 200
POST  /cases/{med}/fee-notes                    L   404 404 404 404 400 404 404 404 403 404 403
POST  /cases/{med}/fee-notes/987654321/decision#decide-decision=approve L 404 404 404 404 403 404 404 404 404 404 403
POST  /cases/{med}/fee-notes/987654321/payment  L   404 404 404 404 403 404 404 404 403 404 404
POST  /cases/{med}/account/statement             L   403 404 403 403 404 404 404 404 400 404 400
POST  /cases/{med}/account/final-statement       L   403 404 403 403 404 404 404 404 403 404 403
POST  /cases/{med}/account/refunds/987654321/payment L 403 404 403 403 404 404 404 404 403 404 403
POST  /cases/{awd}/account/final-statement       L   403 404 403 403 404 404 404 404 400 404 403
POST  /cases/{awd}/account/refunds/987654321/payment L 403 404 403 403 404 404 404 404 404 404 404
GET   /finance                                  L   403 403 403 403 403 403 403 403 403 403 200
GET   /finance/outstanding.csv                  L   403 403 403 403 403 403 403 403 403 403 200
GET   /finance/unmatched                        L   403 403 403 403 403 403 403 403 403 403 200
GET   /finance/unmatched.csv                    L   403 403 403 403 403 403 403 403 403 403 200
GET   /finance/suspensions.csv                  L   403 403 403 403 403 403 403 403 403 403 200
GET   /finance/refunds.csv                      L   403 403 403 403 403 403 403 403 403 403 200
POST  /finance/unmatched/987654321#invoice=INV-2026-000001 L 403 403 403 403 403 403 403 403 403 403 404
GET   /finance/statements                       L   403 403 403 403 403 403 403 403 403 403 200
POST  /finance/statements                       L   403 403 403 403 403 403 403 403 403 403 400
GET   /registry/intake                          L   403 403 403 403 403 403 403 403 200 403 403
GET   /registry/docket                          L   403 403 403 403 403 403 403 403 200 403 403
GET   /registry/print                           L   403 403 403 403 403 403 403 403 200 403 403
POST  /registry/print                           L   403 403 403 403 403 403 403 403 409 403 403
GET   /registry/print/batches/{batch}           L   403 403 403 403 403 403 403 403 200 403 403
GET   /registry/print/batches/{batch}/pdf       L   403 403 403 403 403 403 403 403 200 403 403
# Search: every person finds only the cases they may see -------------------------------------
GET   /search                                   L   200 200 200 200 200 200 200 200 200 200 200
GET   /search?q=solar+park                      L   200 200 200 200 200 200 200 200 200 200 200
# Cases: lists, pages, filing ------------------------------------------------------------------
GET   /cases/                                   L   200 200 200 200 200 200 200 200 200 200 200
POST  /cases/new                                L   302 302 403 302 403 403 403 403 403 403 403
GET   /cases/{draft}                            L   200 404 404 404 404 404 404 404 404 404 404
GET   /cases/{sub}                              L   200 404 404 404 404 404 404 404 200 404 404
GET   /cases/{reg}                              L   200 404 200 200 200 404 404 404 200 404 404
GET   /cases/{med}                              L   200 404 200 200 200 404 404 404 200 404 404
GET   /cases/{arb}                              L   200 404 200 200 200 404 200 200 200 404 404
GET   /cases/{awd}                              L   200 404 200 200 200 404 200 404 200 404 404
GET   /cases/{draft}/edit/claimant              L   200 404 404 404 404 404 404 404 404 404 404
POST  /cases/{draft}/edit/claimant              L   302 404 404 404 404 404 404 404 404 404 404
GET   /cases/{arb}/edit/claimant                L   403 404 403 403 403 404 403 403 403 404 404
POST  /cases/{arb}/edit/claimant                L   403 404 403 403 403 404 403 403 403 404 404
GET   /cases/{draft}/edit/nonsense              L   404 404 404 404 404 404 404 404 404 404 404
GET   /cases/{draft}/documents                  L   200 404 404 404 404 404 404 404 404 404 404
POST  /cases/{draft}/documents                  L   400 404 404 404 404 404 404 404 404 404 404
GET   /cases/{arb}/documents                    L   403 404 403 403 403 404 403 403 403 404 404
POST  /cases/{arb}/documents                    L   403 404 403 403 403 404 403 403 403 404 404
POST  /cases/{draft}/documents/{d_draft}/delete L   400 404 404 404 404 404 404 404 404 404 404
POST  /cases/{arb}/documents/{d_pub}/delete     L   403 404 403 403 403 404 403 403 403 404 404
GET   /cases/{draft}/submit                     L   200 404 404 404 404 404 404 404 404 404 404
POST  /cases/{draft}/submit                     L   400 404 404 404 404 404 404 404 404 404 404
GET   /cases/{sub}/filed                        L   200 404 404 404 404 404 404 404 200 404 404
# Downloads: documents by their visibility, rulings with their case --------------------------
GET   /cases/{draft}/documents/{d_draft}        L   200 404 404 404 404 404 404 404 404 404 404
GET   /cases/{arb}/documents/{d_pub}            L   200 404 200 200 200 404 200 200 200 404 404
GET   /cases/{arb}/documents/{d_clerk}          L   404 404 200 404 404 404 404 404 200 404 404
GET   /cases/{arb}/documents/{d_med}            L   200 404 404 200 200 404 404 404 200 404 404
GET   /cases/{arb}/documents/{d_trib}           L   404 404 200 404 404 404 200 200 200 404 404
GET   /cases/{arb}/documents/{d_draft}          L   404 404 404 404 404 404 404 404 404 404 404
GET   /cases/{sub}/rulings/{r_receipt}          L   200 404 404 404 404 404 404 404 200 404 404
GET   /cases/{arb}/rulings/{r_reg}              L   200 404 200 200 200 404 200 200 200 404 404
GET   /cases/{awd}/rulings/{r_award}            L   200 404 200 200 200 404 200 404 200 404 404
GET   /cases/{arb}/rulings/{r_award}            L   404 404 404 404 404 404 404 404 404 404 404
# The registry -------------------------------------------------------------------------------
GET   /registry/cases/{sub}                     L   403 404 404 404 404 404 404 404 200 404 404
GET   /registry/cases/{draft}                   L   403 404 404 404 404 404 404 404 404 404 404
POST  /registry/cases/{sub}/register            L   403 404 404 404 404 404 404 404 400 404 404
POST  /registry/cases/{sub}/return              L   403 404 404 404 404 404 404 404 400 404 404
POST  /registry/cases/{sub}/reject              L   403 404 404 404 404 404 404 404 400 404 404
POST  /registry/cases/{sub}/preview/return      L   403 404 404 404 404 404 404 404 200 404 404
POST  /registry/cases/{sub}/preview/nonsense    L   404 404 404 404 404 404 404 404 404 404 404
# Acts of the workflow table -----------------------------------------------------------------
GET   /cases/{sub}/act/return                   L   403 404 404 404 404 404 404 404 200 404 404
POST  /cases/{sub}/act/return                   L   403 404 404 404 404 404 404 404 400 404 404
GET   /cases/{med}/act/settle                   L   403 404 403 403 200 404 404 404 403 404 404
POST  /cases/{med}/act/settle                   L   403 404 403 403 400 404 404 404 403 404 404
GET   /cases/{med}/act/extend_mediation         L   403 404 403 403 200 404 404 404 200 404 404
POST  /cases/{med}/act/extend_mediation         L   403 404 403 403 400 404 404 404 400 404 404
GET   /cases/{med}/act/impasse                  L   403 404 403 403 200 404 404 404 403 404 404
POST  /cases/{med}/act/impasse                  L   403 404 403 403 400 404 404 404 403 404 404
GET   /cases/{med}/act/withdraw                 L   200 404 403 200 403 404 404 404 403 404 404
POST  /cases/{med}/act/withdraw                 L   400 404 403 400 403 404 404 404 403 404 404
GET   /cases/{med}/act/propose_mediator         L   404 404 404 404 404 404 404 404 404 404 404
GET   /cases/{arb}/act/procedural_order         L   403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/act/dismiss                  L   403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/act/close_submissions        L   403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/act/delay_notice             L   403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/act/record_default           L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/act/record_default           L   403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{awd}/act/record_default           L   403 404 403 403 403 404 403 404 403 404 404
GET   /cases/{arb}/act/record_hearing_held      L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/act/record_hearing_held      L   403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{awd}/act/record_hearing_held      L   403 404 403 403 403 404 403 404 403 404 404
GET   /cases/{arb}/act/settle                   L   403 404 403 403 403 404 403 403 403 404 404
GET   /cases/{arb}/act/withdraw                 L   200 404 403 200 403 404 403 403 403 404 404
POST  /cases/{arb}/act/withdraw                 L   400 404 403 400 403 404 403 403 403 404 404
GET   /cases/{awd}/act/request_correction       L   200 404 200 200 403 404 403 404 403 404 404
POST  /cases/{awd}/act/request_correction       L   400 404 400 400 403 404 403 404 403 404 404
# Ending without an award, and mediation as the parties choose (the registry's rows are
# offered to the clerk, who is told on the page that the tribunal now decides)
GET   /cases/{arb}/act/discontinue              L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/act/discontinue              L   403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{arb}/award/consent                L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/award/consent                L   403 404 403 403 403 404 400 403 403 404 404
POST  /cases/{arb}/award/consent/preview        L   403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/act/consent_award            L   404 404 404 404 404 404 404 404 404 404 404
GET   /cases/{arb}/act/registry_discontinue     L   403 404 403 403 403 404 403 403 200 404 404
GET   /cases/{arb}/act/request_discontinuance   L   200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/act/request_discontinuance   L   400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{arb}/act/object_to_claimant_request L 403 404 200 403 403 404 403 403 403 404 404
GET   /cases/{arb}/act/object_to_respondent_request L 200 404 403 200 403 404 403 403 403 404 404
GET   /cases/{arb}/act/order_discontinuance     L   403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/act/registry_order_discontinuance L 403 404 403 403 403 404 403 403 200 404 404
GET   /cases/{arb}/act/notify_inactivity        L   403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/act/discontinue_inactive     L   404 404 404 404 404 404 404 404 404 404 404
GET   /cases/{awd}/act/discontinue              L   403 404 403 403 403 404 403 404 403 404 404
GET   /cases/{med}/act/end_mediation            L   200 404 200 200 403 404 404 404 403 404 404
POST  /cases/{med}/act/end_mediation            L   400 404 400 400 403 404 404 404 403 404 404
GET   /cases/{reg}/act/arbitrate_by_agreement   L   403 404 403 403 403 404 404 404 200 404 404
POST  /cases/{reg}/act/arbitrate_by_agreement   L   403 404 403 403 403 404 404 404 400 404 404
GET   /cases/{reg}/act/refer_registered         L   403 404 403 403 403 404 404 404 200 404 404
GET   /cases/{reg}/act/agree_to_mediate         L   403 404 403 403 403 404 404 404 200 404 404
GET   /cases/{arb}/act/nonsense                 L   404 404 404 404 404 404 404 404 404 404 404
POST  /cases/{arb}/act/withdraw/preview         L   404 404 404 404 404 404 404 404 404 404 404
GET   /cases/{med}/act/suspend                  L   403 404 403 403 200 404 404 404 200 404 404
POST  /cases/{med}/act/suspend                  L   403 404 403 403 400 404 404 404 400 404 404
GET   /cases/{arb}/act/suspend                  L   403 404 403 403 403 404 200 403 200 404 404
POST  /cases/{arb}/act/suspend                  L   403 404 403 403 403 404 400 403 400 404 404
POST  /cases/{arb}/act/suspend/preview          L   403 404 403 403 403 404 200 403 200 404 404
GET   /cases/{arb}/act/resume                   L   403 404 403 403 403 404 200 403 200 404 404
POST  /cases/{arb}/act/resume                   L   403 404 403 403 403 404 400 403 400 404 404
# The award is issued on its own page (awards/): the act page knows it no more
GET   /cases/{arb}/act/issue_award              L   404 404 404 404 404 404 404 404 404 404 404
# Costs, counterclaims, grace and the award of a tribunal of three (awards/) ---------------
GET   /cases/{med}/award                        L   403 404 403 403 403 404 404 404 403 404 404
GET   /cases/{arb}/award                        L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/award                        L   403 404 403 403 403 404 400 403 403 404 404
POST  /cases/{arb}/award/preview                L   403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/award/draft                  L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/award/draft                  L   403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{arb}/award/draft?kind=consent_award L  403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/award/draft?kind=costs_decision L 403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{arb}/award/draft?kind=nonsense    L   403 404 403 403 403 404 404 403 403 404 404
GET   /cases/{awd}/award/draft?kind=costs_decision L 403 404 403 403 403 404 200 404 403 404 404
GET   /cases/{arb}/award/approve                L   403 404 403 403 403 404 200 200 403 404 404
POST  /cases/{arb}/award/approve                L   403 404 403 403 403 404 400 400 403 404 404
GET   /cases/{arb}/award/opinion                L   403 404 403 403 403 404 200 200 403 404 404
POST  /cases/{arb}/award/opinion                L   403 404 403 403 403 404 400 400 403 404 404
GET   /cases/{awd}/award/approve                L   403 404 403 403 403 404 200 404 403 404 404
GET   /cases/{arb}/costs/order                  L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/costs/order                  L   403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{arb}/costs/statement              L   200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/costs/statement              L   400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{arb}/costs/decision               L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/costs/decision               L   403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{awd}/costs/decision               L   403 404 403 403 403 404 200 404 403 404 404
GET   /cases/{arb}/counterclaim                 L   403 404 200 403 403 404 403 403 403 404 404
POST  /cases/{arb}/counterclaim                 L   403 404 400 403 403 404 403 403 403 404 404
GET   /cases/{arb}/counterclaim/allow           L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/counterclaim/allow           L   403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{arb}/grace                        L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/grace                        L   403 404 403 403 403 404 400 403 403 404 404
# Neutrals: proposing, answering -------------------------------------------------------------
GET   /cases/{reg}/assign-mediator              L   403 404 403 403 403 404 404 404 200 404 404
POST  /cases/{reg}/assign-mediator              L   403 404 403 403 403 404 404 404 400 404 404
GET   /cases/{med}/assign-mediator              L   403 404 403 403 403 404 404 404 200 404 404
POST  /cases/{med}/assign-mediator              L   403 404 403 403 403 404 404 404 400 404 404
GET   /cases/{arb}/assign-mediator              L   403 404 403 403 403 404 403 403 403 404 404
POST  /cases/{arb}/assign-mediator              L   403 404 403 403 403 404 403 403 403 404 404
GET   /cases/{reg}/appointment                  L   403 404 403 403 200 404 404 404 403 404 404
POST  /cases/{reg}/appointment                  L   403 404 403 403 400 404 404 404 403 404 404
GET   /cases/{arb}/appointment                  L   403 404 403 403 403 404 403 403 403 404 404
GET   /cases/{arb}/tribunal                     L   403 404 403 403 403 404 403 403 200 404 404
POST  /cases/{arb}/tribunal                     L   403 404 403 403 403 404 403 403 400 404 404
# Constitution by the parties (issue 15): on the arbitration, whose tribunal the Centre
# constituted, each page is the act's and says why it is not possible now.
GET   /cases/{arb}/party-appointment            L   403 404 403 403 403 404 403 403 200 404 404
POST  /cases/{arb}/party-appointment            L   403 404 403 403 403 404 403 403 400 404 404
GET   /cases/{arb}/nominate                     L   200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/nominate                     L   400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{arb}/agree-on-arbitrator          L   403 404 403 403 403 404 403 403 200 404 404
POST  /cases/{arb}/agree-on-arbitrator          L   403 404 403 403 403 404 403 403 400 404 404
GET   /cases/{arb}/choose-presiding             L   403 404 403 403 403 404 200 200 403 404 404
POST  /cases/{arb}/choose-presiding             L   403 404 403 403 403 404 400 400 403 404 404
GET   /cases/{arb}/appoint-in-default           L   403 404 403 403 403 404 403 403 200 404 404
POST  /cases/{arb}/appoint-in-default           L   403 404 403 403 403 404 403 403 400 404 404
GET   /cases/{awd}/nominate                     L   403 404 403 403 403 404 403 404 403 404 404
# Parties, submissions, meetings, notes, deadlines, trail -------------------------------------
GET   /cases/{arb}/invite/representative        L   403 404 403 403 403 404 403 403 200 404 404
POST  /cases/{arb}/invite/representative        L   403 404 403 403 403 404 403 403 400 404 404
GET   /cases/{arb}/invite/counsel               L   200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/invite/counsel               L   400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{arb}/invite/nonsense              L   404 404 404 404 404 404 404 404 404 404 404
GET   /cases/{draft}/invite/counsel             L   403 404 404 404 404 404 404 404 404 404 404
POST  /cases/{draft}/invite/counsel             L   403 404 404 404 404 404 404 404 404 404 404
GET   /cases/{arb}/submissions/new              L   200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/submissions/new              L   400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{arb}/submissions/new?response=1   L   403 404 200 403 403 404 403 403 403 404 404
POST  /cases/{arb}/submissions/new?response=1   L   403 404 400 403 403 404 403 403 403 404 404
GET   /cases/{med}/meetings/new                 L   403 404 403 403 200 404 404 404 403 404 404
POST  /cases/{med}/meetings/new                 L   403 404 403 403 400 404 404 404 403 404 404
GET   /cases/{arb}/meetings/new                 L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/meetings/new                 L   403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{arb}/notes                        L   403 404 403 403 200 404 200 200 403 404 404
POST  /cases/{arb}/notes                        L   403 404 403 403 403 404 400 400 403 404 404
GET   /cases/{arb}/deadlines/extend             L   403 404 403 403 403 404 403 403 200 404 404
POST  /cases/{arb}/deadlines/extend             L   403 404 403 403 403 404 403 403 400 404 404
GET   /cases/{med}/submissions/new              L   200 404 200 200 403 404 404 404 403 404 404
GET   /cases/{med}/submissions/new?response=1   L   403 404 200 403 403 404 404 404 403 404 404
GET   /cases/{med}/notes                        L   403 404 403 403 200 404 404 404 403 404 404
POST  /cases/{med}/notes                        L   403 404 403 403 400 404 404 404 403 404 404
GET   /cases/{med}/deadlines/extend             L   403 404 403 403 403 404 404 404 200 404 404
GET   /cases/{med}/trail                        L   200 404 200 200 200 404 404 404 200 404 404
GET   /cases/{arb}/trail                        L   200 404 200 200 200 404 200 200 200 404 404
# The written phase and preliminary objections ------------------------------------------------
GET   /cases/{arb}/timetable                    L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/timetable                    L   403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{awd}/timetable                    L   403 404 403 403 403 404 403 404 403 404 404
GET   /cases/{arb}/submissions/new?pleading=memorial L 200 404 403 200 403 404 403 403 403 404 404
POST  /cases/{arb}/submissions/new?pleading=memorial L 400 404 403 400 403 404 403 403 403 404 404
GET   /cases/{arb}/submissions/new?pleading=rejoinder L 403 404 200 403 403 404 403 403 403 404 404
POST  /cases/{arb}/submissions/new?pleading=rejoinder L 403 404 400 403 403 404 403 403 403 404 404
GET   /cases/{arb}/submissions/new?pleading=nonsense L 404 404 404 404 404 404 404 404 404 404 404
GET   /cases/{awd}/submissions/new?pleading=memorial L 403 404 403 403 403 404 403 404 403 404 404
GET   /cases/{arb}/objections/object_merit      L   200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/objections/object_merit      L   400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{arb}/objections/object_jurisdiction L 200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/objections/object_jurisdiction L 400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{awd}/objections/object_jurisdiction L 403 404 403 403 403 404 403 404 403 404 404
GET   /cases/{arb}/objections/request_bifurcation L 200 404 200 200 403 404 403 403 403 404 404
GET   /cases/{arb}/objections/decide_bifurcation L  403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/objections/decide_bifurcation L  403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{arb}/objections/close_merit_objection L 403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/objections/uphold_merit_objection L 403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/objections/uphold_merit_objection L 403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{arb}/objections/reject_merit_objection L 403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/objections/close_jurisdiction_objection L 403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/objections/decline_jurisdiction L 403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/objections/uphold_jurisdiction L 403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/objections/join_objection    L   403 404 403 403 403 404 200 403 403 404 404
GET   /cases/{arb}/objections/nonsense          L   404 404 404 404 404 404 404 404 404 404 404
# Provisional measures, third-party funding, non-disputing parties (issue 15) ---------------
GET   /cases/{arb}/provisional-measures/request L   200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/provisional-measures/request L   400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{arb}/provisional-measures/observations L 200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/provisional-measures/observations L 400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{arb}/provisional-measures/order   L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/provisional-measures/order   L   403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{arb}/provisional-measures/shorten-time L 403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/provisional-measures/shorten-time L 403 404 403 403 403 404 400 403 403 404 404
GET   /cases/{med}/provisional-measures/request L   403 404 403 403 403 404 404 404 403 404 404
GET   /cases/{arb}/funding                      L   200 404 200 200 200 404 200 200 200 404 404
POST  /cases/{arb}/funding                      L   400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{draft}/funding                    L   200 404 404 404 404 404 404 404 404 404 404
POST  /cases/{draft}/funding                    L   403 404 404 404 404 404 404 404 404 404 404
GET   /cases/{arb}/funding/999999/update        L   404 404 404 404 403 404 403 403 403 404 404
POST  /cases/{arb}/funding/999999/update        L   404 404 404 404 403 404 403 403 403 404 404
POST  /cases/{arb}/funding/999999/withdraw      L   404 404 404 404 403 404 403 403 403 404 404
GET   /cases/{arb}/funding/reconfirm            L   403 404 403 403 403 404 200 200 403 404 404
POST  /cases/{arb}/funding/reconfirm            L   403 404 403 403 403 404 400 400 403 404 404
GET   /cases/{med}/funding/reconfirm            L   403 404 403 403 200 404 404 404 403 404 404
GET   /cases/{arb}/non-disputing/application    L   403 404 403 403 403 404 403 403 200 404 404
POST  /cases/{arb}/non-disputing/application    L   403 404 403 403 403 404 403 403 400 404 404
GET   /cases/{arb}/non-disputing/observations   L   200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/non-disputing/observations   L   400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{arb}/non-disputing/decision       L   403 404 403 403 403 404 200 403 403 404 404
POST  /cases/{arb}/non-disputing/decision       L   403 404 403 403 403 404 400 403 403 404 404
# Challenges, resignation (no proposal is pending in this world: no one comments, votes or decides)
GET   /cases/{arb}/challenges                   L   200 404 200 200 200 404 200 200 200 404 404
GET   /cases/{arb}/challenges/propose           L   200 404 200 200 403 404 403 403 403 404 404
POST  /cases/{arb}/challenges/propose           L   400 404 400 400 403 404 403 403 403 404 404
GET   /cases/{med}/challenges/propose           L   200 404 200 200 403 404 404 404 403 404 404
GET   /cases/{reg}/challenges/propose           L   403 404 403 403 403 404 404 404 403 404 404
GET   /cases/{arb}/challenges/comment           L   403 404 403 403 403 404 403 403 403 404 404
POST  /cases/{arb}/challenges/comment           L   403 404 403 403 403 404 403 403 403 404 404
GET   /cases/{arb}/challenges/observe           L   403 404 403 403 403 404 403 403 403 404 404
POST  /cases/{arb}/challenges/observe           L   403 404 403 403 403 404 403 403 403 404 404
GET   /cases/{arb}/challenges/vote              L   403 404 403 403 403 404 403 403 403 404 404
POST  /cases/{arb}/challenges/vote              L   403 404 403 403 403 404 403 403 403 404 404
GET   /cases/{arb}/challenges/decide            L   403 404 403 403 403 404 403 403 403 404 404
POST  /cases/{arb}/challenges/decide            L   403 404 403 403 403 404 403 403 403 404 404
GET   /cases/{arb}/publication                  L   200 404 200 200 200 404 200 200 200 404 404
POST  /cases/{arb}/publication                  L   400 404 400 400 403 404 403 403 403 404 404
POST  /cases/{awd}/publication                  L   403 404 403 403 403 404 403 404 403 404 404
POST  /cases/{awd}/publication/{r_award}/proposals L 400 404 400 400 403 404 403 404 403 404 404
POST  /cases/{awd}/publication/{r_award}/no-more  L   400 404 400 400 403 404 403 404 403 404 404
POST  /cases/{awd}/publication/proposals/987654321/comment L 404 404 404 404 403 404 403 404 403 404 404
POST  /cases/{awd}/publication/proposals/987654321/decision L 403 404 403 403 403 404 404 404 403 404 404
POST  /cases/{awd}/publication/{r_award}/publish  L   403 404 403 403 403 404 403 404 400 404 404
POST  /cases/{awd}/publication/{r_award}/excerpt  L   403 404 403 403 403 404 400 404 403 404 404
GET   /public-register/{n_reg}/decisions/NOCODE0000 404 404 404 404 404 404 404 404 404 404 404 404
GET   /cases/{arb}/seals                        L   403 404 403 403 403 404 200 403 200 404 404
POST  /cases/{arb}/seals                        L   403 404 403 403 403 404 400 403 400 404 404
GET   /cases/{draft}/seals                      L   403 404 404 404 404 404 404 404 404 404 404
POST  /cases/{arb}/seals/987654321/lift        L   403 404 403 403 403 404 404 403 404 404 404
GET   /cases/{arb}/resign                       L   403 404 403 403 403 404 200 200 403 404 404
POST  /cases/{arb}/resign                       L   403 404 403 403 403 404 400 400 403 404 404
GET   /cases/{med}/resign                       L   403 404 403 403 200 404 404 404 403 404 404
GET   /cases/{awd}/resign                       L   403 404 403 403 403 404 403 404 403 404 404
"""

# Cells marked * above: (role, method, path) -> why the portal's answer today is wrong.
WRONG_TODAY: dict[tuple[str, str, str], str] = {}

# Routes whose answer ends the browser's login: run on a copy of the role's browser.
ENDS_SESSION = ("/logout", "/account/logout-everywhere")
API = "/api/"
PUBLIC_API = ("/api/v1/openapi.json", "/api/v1/docs", "/api/v1/verify", "/api/v1/register")
PUBLIC_API += ("/api/v1/oauth/token",)  # a client authenticates itself there
# Reads that need a read-and-write token: a webhook's secret would let one forge deliveries.
SECRET_READS = ("/api/v1/webhooks/{hook}/secret",)
# Objects a guess could name: a 404 for one of them must read as one for no object at all.
GUESSABLE = (
    *("draft", "sub", "reg", "med", "arb", "awd"),
    *("d_draft", "d_pub", "d_clerk", "d_med", "d_trib", "r_receipt", "r_reg", "r_award"),
    *("r_inv", "inv"),
    "conflict",
    "hook",
)
NO_SUCH_ID = 987654321
# Whether a forbidden object's 404 is compared with a non-existent one's (the SQLite pass).
COMPARE_GUESSES = not (os.environ.get("DATABASE_URL") or "").startswith("postgresql")
# Whether a refused GET is checked to have changed nothing (the SQLite pass). A GET runs in a
# transaction begun to read, which refuses any write a view is not marked to make (db.py,
# on both engines); the PostgreSQL pass counts every table's rows after each refused POST.
CHECK_GETS = COMPARE_GUESSES

L, L0, OUT, NOP = "L", "L0", "OUT", "NOP"
STATUSES = {200, 302, 400, 403, 404, 409} | {201, 204, 401, 422}  # the latter: the API's
REDIRECTS = (302, 303)
NOTHING_CHANGES = {L, L0, NOP, 400, 401, 403, 404, 409, 422}


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # with {placeholders} for the world's ids
    data: tuple[tuple[str, str], ...]
    expected: tuple[str | int, ...]

    def answer(self, role: str) -> str | int:
        return self.expected[ROLES.index(role)]


def _parse(table: str) -> list[Row]:
    rows = []
    for line in table.strip().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        method, target, *cells = line.split()
        assert len(cells) == len(ROLES), f"{len(cells)} cells, not {len(ROLES)}: {line}"
        path, _, form = target.partition("#")
        expected = []
        for cell in cells:
            cell = cell.rstrip("*")
            expected.append(int(cell) if cell.isdigit() else cell)
            assert expected[-1] in {L, L0, OUT, NOP, *STATUSES}, line
        rows.append(Row(method, path, tuple(parse_qsl(form)), tuple(expected)))
    return rows


MATRIX = _parse(MATRIX_TABLE)


def _marked() -> set[tuple[str, str, str]]:
    marked = set()
    for line in MATRIX_TABLE.strip().splitlines():
        if line.lstrip().startswith("#") or "*" not in line:
            continue
        method, target, *cells = line.split()
        for role, cell in zip(ROLES, cells, strict=True):
            if cell.endswith("*"):
                marked.add((role, method, target))
    return marked


# The world ------------------------------------------------------------------------------------


@dataclass
class World:
    conn: object = None
    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    browsers: dict = field(default_factory=dict)
    api: dict = field(default_factory=dict)  # each role's program, with a token
    api_read: dict = field(default_factory=dict)  # the same, its token's scope read only
    files: dict = field(default_factory=dict)  # the stored documents, by name


def _act(case, user, action: str, reason: str | None = None) -> None:
    proceedings.act(case, user=user, action=action, reason=reason, expected_version=None)


def _to_arbitration(
    session, factory: Factory, case, clerk, mediator, *arbitrators, in_mediation=None
) -> None:
    """Mediation (`in_mediation` is done during it), impasse, referral, a tribunal whose
    members accept (the tribunal sits): a sole arbitrator, or a chair and two co-arbitrators."""
    factory.mediate(case, clerk, mediator)
    if in_mediation is not None:
        in_mediation()
    _act(case, mediator, "impasse", "No agreement.")
    _act(case, clerk, "refer")
    chair, *others = arbitrators
    first = Capacity.PRESIDING_ARBITRATOR if others else Capacity.SOLE_ARBITRATOR
    neutrals.propose_tribunal(
        session,
        case,
        clerk=clerk,
        members=[(first, chair)] + [(Capacity.CO_ARBITRATOR, user) for user in others],
        expected_version=None,
    )
    for user in arbitrators:
        neutrals.accept(
            session,
            case,
            user=user,
            declaration="I am independent and impartial.",
            confirmed=True,
            expected_version=None,
        )


def _invite(session, case, inviter, *, side: Side, standing: Standing, email: str) -> str:
    _, token = parties.invite(
        session,
        case,
        inviter=inviter,
        side=side,
        standing=standing,
        email=email,
        name="Invited Person",
        expected_version=None,
    )
    return token


PRIVATE_NOTE = "The mediator's own note: the respondent may move."


def _build(session, factory: Factory, app) -> World:
    w = World()
    u = w.users
    for role, kind in (
        ("A", Role.INVESTOR),
        ("B", Role.INVESTOR),
        ("resp", Role.RESPONDENT),
        ("counsel", Role.INVESTOR),
        ("med", Role.MEDIATOR),
        ("med2", Role.MEDIATOR),
        ("arb", Role.ARBITRATOR),
        ("co", Role.ARBITRATOR),
        ("clerk", Role.CLERK),
        ("admin", Role.ADMIN),
        ("fin", Role.FINANCE),
    ):
        u[role] = factory.user(kind)
    claimant, clerk = u["A"], u["clerk"]

    def registered_with_cast():
        case = factory.case(CaseState.REGISTERED, claimant=claimant, clerk=clerk)
        factory.join(case, clerk, u["resp"])
        factory.join(case, claimant, u["counsel"], side=Side.CLAIMANT, standing=Standing.COUNSEL)
        return case

    draft = factory.case(CaseState.DRAFT, claimant=claimant)
    submitted = factory.case(CaseState.SUBMITTED, claimant=claimant, fee_settled=False)
    registered = registered_with_cast()
    neutrals.propose_mediator(
        session, registered, clerk=clerk, mediator=u["med"], expected_version=None
    )
    token = _invite(
        session,
        registered,
        clerk,
        side=Side.RESPONDENT,
        standing=Standing.REPRESENTATIVE,
        email="no.account.yet@example.com",
    )
    token_b = _invite(
        session,
        registered,
        claimant,
        side=Side.CLAIMANT,
        standing=Standing.COUNSEL,
        email=u["B"].email,
    )
    mediation = registered_with_cast()
    factory.mediate(mediation, clerk, u["med"])
    arbitration = registered_with_cast()
    # Before a three-member tribunal: arb presides, co sits beside a third arbitrator.
    co2 = factory.user(Role.ARBITRATOR)
    in_mediation: dict = {}

    def mediating() -> None:
        in_mediation["d_med"] = factory.file(
            arbitration, claimant, Visibility.MEDIATOR, "for-the-mediator"
        )
        proceedings.add_note(session, arbitration, author=u["med"], body=PRIVATE_NOTE)

    _to_arbitration(
        session, factory, arbitration, clerk, u["med"], u["arb"], u["co"], co2,
        in_mediation=mediating,
    )  # fmt: skip
    d_clerk = factory.file(arbitration, u["resp"], Visibility.CLERK, "clerk-only")
    d_trib = factory.file(arbitration, u["resp"], Visibility.TRIBUNAL, "for-the-tribunal")
    awarded = registered_with_cast()
    _to_arbitration(session, factory, awarded, clerk, u["med"], u["arb"])
    awards.issue_award(awarded, chair=u["arb"], reasons="Award: USD 1.", expected_version=None)

    third_neutral = factory.user(Role.MEDIATOR)
    conflict = neutrals.add_conflict(session, third_neutral, party_name="Kazakh Oil", note=None)
    cal_day = calendars.add_day(
        session, day=dt.date(2027, 1, 8), kind="day_off", reason="Decree No. 1", by=u["admin"]
    )
    session.flush()

    def ruling(case, kind: str) -> int:
        return session.scalars(select(Ruling.id).filter_by(case_id=case.id, kind=kind)).one()

    cases = {
        "draft": draft,
        "sub": submitted,
        "reg": registered,
        "med": mediation,
        "arb": arbitration,
        "awd": awarded,
    }
    assert [c.state for c in cases.values()] == [
        CaseState.DRAFT,
        CaseState.SUBMITTED,
        CaseState.REGISTERED,
        CaseState.MEDIATION,
        CaseState.ARBITRATION,
        CaseState.AWARDED,
    ]
    assert arbitration.tribunal_constituted_at is not None
    w.ids = {key: case.id for key, case in cases.items()}
    w.ids |= {
        "u_arb": w.users["arb"].id,
        "d_draft": draft.documents[0].id,
        "d_pub": next(d.id for d in arbitration.documents if d.submission_id is None),
        "d_clerk": d_clerk.id,
        "d_med": in_mediation["d_med"].id,
        "d_trib": d_trib.id,
        "s_trib": d_trib.submission_id,
        "r_receipt": ruling(submitted, "filing_receipt"),
        "r_inv": ruling(submitted, "invoice"),
        "inv": lodging_invoice(session, submitted).id,
        "r_reg": ruling(arbitration, "registration_notice"),
        "r_award": ruling(awarded, "award"),
        "n_reg": registered.number,
        "conflict": conflict.id,
        "cal_day": cal_day.id,
        "token": token,
        "token_b": token_b,
    }
    return w


FILE_DIRS = ("UPLOAD_DIR", "RULINGS_DIR")


def fingerprint(app, conn) -> dict[str, object]:
    """Row counts of every table, the sum of the cases' versions (any change to a case, its
    state, its sections, bumps its version), and the files stored."""
    parts = [f"SELECT '{t.name}', count(*) FROM {t.name}" for t in Base.metadata.sorted_tables]
    parts.append("SELECT 'cases.version', coalesce(sum(version), 0) FROM cases")
    found: dict[str, object] = dict(conn.execute(text(" UNION ALL ".join(parts))).all())
    return found | {key: frozenset(os.listdir(app.config[key])) for key in FILE_DIRS}


def _changes(before: dict, after: dict) -> str:
    out = []
    for key, was in before.items():
        now = after[key]
        if now == was:
            continue
        if isinstance(was, frozenset):
            out.append(f"{key} +{len(now - was)} -{len(was - now)} files")
        else:
            out.append(f"{key} {was}->{now}")
    return ", ".join(out)


def _put_files_back(app, world: World, before: dict) -> None:
    """The database is rolled back after each cell; the files follow it (a cell the portal
    answers wrongly today may delete a document's file, or store a new one)."""
    for key in FILE_DIRS:
        directory = Path(app.config[key])
        now = set(os.listdir(directory))
        for name in now - before[key]:
            (directory / name).unlink()
        for name in before[key] - now:
            (directory / name).write_bytes(world.files[name])


@pytest.fixture(scope="module")
def world(app):
    """The world, committed into one outer transaction rolled back after the module."""
    with shared_connection(app) as conn:
        session = db.sessionmaker(info={"config": app.config})
        try:
            w = _build(session, Factory(session, app.config), app)
            session.commit()
            sign_checkpoint(session, signer_from(app.config))  # /verify/checkpoint has one
            session.commit()
            w.conn = conn
            w.browsers["anon"] = Browser(app)
            w.api["anon"] = ApiClient(app, None)
            for role in ROLES[1:]:
                w.browsers[role] = Browser(app)
                w.browsers[role].login(w.users[role])
                w.api[role] = ApiClient(app, make_token(session, w.users[role]))
                w.api_read[role] = ApiClient(
                    app, make_token(session, w.users[role], TokenScope.READ)
                )
            w.ids["hook"] = webhooks.subscribe(
                session,
                app.config,
                user=w.users["A"],
                client=None,
                url="http://127.0.0.1:9999/hook",  # nothing listens: a delivery would fail
                event_types=["case.issue_award"],
            ).id
            session.commit()
            # A printed batch (the clerk's print queue runs the job inline).
            clerk = w.browsers["clerk"]
            response = clerk.post(
                "/registry/print", {"ruling_ids": [w.ids["r_receipt"]], "action": "print"}
            )
            w.ids["batch"] = int(re.search(r"/batches/(\d+)", response.location).group(1))
            assert clerk.get(f"/registry/print/batches/{w.ids['batch']}/pdf").status_code == 200
            for key in FILE_DIRS:
                for path in Path(app.config[key]).iterdir():
                    if path.is_file():
                        w.files[path.name] = path.read_bytes()
            yield w
        finally:
            session.close()


# Asking -------------------------------------------------------------------------------------


def _copy(app, browser: Browser) -> Browser:
    """Another browser holding the same login (to log out without losing the original)."""
    twin = Browser(app)
    cookie = browser.client.get_cookie("session")
    if cookie is not None:
        twin.client.set_cookie("session", cookie.value)
        twin._token = browser.csrf()
    return twin


def _send(browser: Browser, method: str, url: str, data: dict):
    if method == "DELETE":  # the API's alone
        return browser.delete(url)
    return browser.get(url) if method == "GET" else browser.post(url, data)


def _verdict(response, expected) -> str | None:
    """None if the response is the expected answer, else what it was."""
    status, location = response.status_code, response.location or ""
    where = urlsplit(location)
    to_login = status in REDIRECTS and where.path == "/login"
    if expected == L:
        ok = to_login and where.query.startswith("next=")
    elif expected in (L0, OUT):
        ok = to_login and "next=" not in where.query
    elif expected in (NOP, 302):
        ok = status in REDIRECTS and not to_login
    else:
        ok = status == expected
    if ok:
        return None
    return f"{status} {location}".strip()


REQUEST_ID = re.compile(r"\b[0-9a-f]{32}\b")
# New at each answer: one-time form tokens, and CSRF tokens (signed with the time) of forms
# with a prefix.
CLIENT_TOKEN = re.compile(r'name="(client_token|[\w-]+-csrf_token)" type="hidden" value="[^"]*"')
CSRF_TOKEN = re.compile(r'(name="csrf_token" (?:type="hidden" )?value=)"[^"]+"')
FLASHES = re.compile(r'<div class="flashes">.*?</div>', re.S)
SPACE = re.compile(r"\s+")


def _page(response, url: str) -> str:
    """The page but for what differs from one request to the next: its request id, the
    address asked (in the language form), the CSRF token (signed with the time), and a
    message flashed by the request before, and the white space around it."""
    body = response.get_data(as_text=True).replace(urlsplit(url).path, "<address>")
    body = CSRF_TOKEN.sub(r'\1"<csrf>"', FLASHES.sub("", body))
    return SPACE.sub(" ", REQUEST_ID.sub("<request-id>", body))


def _guesses(row: Row, ids: dict) -> list[tuple[str, str, dict]]:
    """The row's request with one guessable id replaced by one that names nothing."""
    out = []
    for key in GUESSABLE:
        mark = "{" + key + "}"
        if mark in row.path or any(mark in v for _, v in row.data):
            other = ids | {key: NO_SUCH_ID}
            out.append((key, row.path.format(**other), _form(row, other)))
    return out


def _form(row: Row, ids: dict) -> dict:
    return {k: v.format(**ids) for k, v in row.data}


def _check_role(app, world: World, role: str) -> list[str]:
    conn, ids = world.conn, world.ids
    baseline = fingerprint(app, conn)
    problems = []
    for row in MATRIX:
        expected = row.answer(role)
        url, data = row.path.format(**ids), _form(row, ids)
        browser = world.api[role] if row.path.startswith(API) else world.browsers[role]
        if row.path in ENDS_SESSION:
            browser = _copy(app, browser)
        cell = f"{role:8} {row.method:4} {row.path}{' ' + str(dict(row.data)) if row.data else ''}"
        nested = conn.begin_nested()
        try:
            response = _send(browser, row.method, url, data)
            got = _verdict(response, expected)
            if got is not None:
                problems.append(f"{cell}: expected {expected}, got {got}")
            elif expected == 404 and COMPARE_GUESSES:
                forbidden = _page(response, url)
                for key, guess_url, guess_data in _guesses(row, ids):
                    guess = _send(browser, row.method, guess_url, guess_data)
                    if guess.status_code != 404 or _page(guess, guess_url) != forbidden:
                        problems.append(
                            f"{cell}: with a {key} id that names nothing it answers "
                            f"{guess.status_code}, not the same 404 page"
                        )
            checked = row.method == "POST" or CHECK_GETS
            if checked and (
                expected in NOTHING_CHANGES
                # a form shown again (the API's acts answer 200 with the case they changed)
                or (row.method == "POST" and expected == 200 and not row.path.startswith(API))
            ):
                after = fingerprint(app, conn)
                changed = _changes(baseline, after)
                if changed:
                    problems.append(
                        f"{cell}: expected {expected}, nothing changed; changed {changed}"
                    )
        finally:
            nested.rollback()
            _put_files_back(app, world, baseline)
    return problems


# The tests ----------------------------------------------------------------------------------


def _routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_in_the_matrix(app):
    adapter = app.url_map.bind("localhost")
    covered = set()
    for row in MATRIX:
        sample = row.path.format_map(_AnyId())
        endpoint, _ = adapter.match(urlsplit(sample).path, method=row.method)
        covered.add((endpoint, row.method))
    missing = sorted(_routes(app) - covered)
    assert not missing, "routes without a row in MATRIX_TABLE: " + ", ".join(
        f"{method} {endpoint}" for endpoint, method in missing
    )


class _AnyId(dict):
    def __missing__(self, key: str) -> str:
        return "1"


def test_the_marked_cells_are_the_known_wrong_answers():
    assert _marked() == set(WRONG_TODAY)


@pytest.mark.parametrize("role", ROLES)
def test_matrix(app, world, role):
    problems = _check_role(app, world, role)
    assert not problems, f"{len(problems)} cells differ:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ROLES[1:])
def test_a_read_only_token_reads_alike_and_writes_nothing(app, world, role):
    """The token's scope is the second question, after the policy's: with a read-only token
    each role's person reads what the table says (the claimant's every read is asked), and
    every write of the API is refused with 403 before it is read."""
    problems = []
    for row in MATRIX:
        if not row.path.startswith(API) or row.path.startswith(PUBLIC_API):
            continue
        if row.method == "GET" and role != "A":
            continue
        url, expected = row.path.format(**world.ids), row.answer(role)
        with savepoint(world.conn):
            response = _send(world.api_read[role], row.method, url, _form(row, world.ids))
        if row.method != "GET" or (row.path in SECRET_READS and expected == 200):
            scope = response.headers.get("WWW-Authenticate", "")
            if response.status_code != 403 or "insufficient_scope" not in scope:
                problems.append(f"{row.method} {url}: {response.status_code}, not 403")
        elif response.status_code != expected:
            problems.append(f"{row.method} {url}: {response.status_code}, not {expected}")
    assert not problems, "\n".join(problems)


def test_an_inbox_shows_only_its_owners_notifications(world):
    """Notifications have no address of their own: each person reads their own inbox."""
    links = [f'href="/cases/{world.ids[k]}"' for k in ("draft", "sub", "reg", "med", "arb", "awd")]
    with savepoint(world.conn):
        page = world.browsers["A"].get("/notifications").get_data(as_text=True)
        assert links[4] in page  # A is told about the arbitration
        for role in ("B", "med2", "admin"):
            page = world.browsers[role].get("/notifications").get_data(as_text=True)
            assert "You have no notifications." in page, role
            assert not [link for link in links if link in page], role


def test_pages_name_only_what_the_reader_may_read(world):
    """A document, an event about it, a neutral's private note: the case page and the trail
    name them only to those who may read them, not just the download. What was filed for the
    mediator stays with the former mediator; what is filed for the tribunal, with it."""
    readers = {
        "clerk-only.pdf": {"resp", "clerk"},
        "for-the-mediator.pdf": {"A", "counsel", "med", "clerk"},
        "for-the-tribunal.pdf": {"resp", "arb", "co", "clerk"},
        PRIVATE_NOTE: {"med"},
    }
    arb = world.ids["arb"]
    with savepoint(world.conn):
        for role in ("A", "resp", "counsel", "med", "arb", "co", "clerk"):
            browser = world.browsers[role]
            pages = {
                path: browser.get(path).get_data(as_text=True).replace("&#39;", "'")
                for path in (f"/cases/{arb}", f"/cases/{arb}/trail", f"/cases/{arb}/notes")
            }
            for secret, allowed in readers.items():
                for path, page in pages.items():
                    if role not in allowed:
                        assert secret not in page, f"{role} reads {secret!r} on {path}"
                shown = any(secret in page for page in pages.values())
                assert shown == (role in allowed), f"{role}: {secret!r} shown={shown}"


@pytest.mark.engine_free  # the cache's copy against the page drawn again: any database
@pytest.mark.parametrize("role", ROLES)
def test_the_matrix_answers_alike_from_the_page_cache(app, world, role):
    """Every GET of the matrix, twice, with the page cache on and empty at first: the first
    is drawn (a miss, or a page the cache does not keep), the second answers the same
    (status, address), and a page that came from the cache is the very page drawn. (A page
    the cache does not keep may show the time, which has moved on by the second request.)"""
    cache = app.extensions["page_cache"]
    kept = cache.store
    hits = 0
    try:
        cache.store = MemoryStore(64 * 2**20)
        for row in MATRIX:
            if row.method != "GET" or row.path in ENDS_SESSION or row.path.startswith(API):
                continue  # (the API's answers never come from the page cache)
            url = row.path.format(**world.ids)
            with savepoint(world.conn):
                drawn, again = (world.browsers[role].get(url) for _ in range(2))
            assert drawn.headers.get("X-Page-Cache") != "hit", f"{role} {url}: hit when empty"
            assert (again.status_code, again.location) == (drawn.status_code, drawn.location), (
                f"{role} {url}"
            )
            how = again.headers.get("X-Page-Cache")
            if how is not None and _kept_page(again, url) != _kept_page(drawn, url):
                lines = difflib.unified_diff(
                    str(_kept_page(drawn, url)).split(">"),
                    str(_kept_page(again, url)).split(">"),
                    n=0,
                )
                pytest.fail(f"{role} {url}: from the cache it differs:\n" + "\n".join(lines))
            hits += how == "hit"
    finally:
        cache.store = kept
    assert hits >= (0 if role == "anon" else 1)


def _kept_page(response, url: str) -> str | bytes:
    """What of an answer the cache must give back unchanged: an HTML page but for what
    differs from one request to the next (`_page`, one-time form tokens), any other body
    byte for byte."""
    if response.mimetype == "text/html":
        return CLIENT_TOKEN.sub("", _page(response, url))
    return response.get_data()
