"""The people who act for a side: the respondent's representative and counsel, by invitation."""
