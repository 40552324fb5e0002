"""Views of the committee app, by aggregate: committees (the committee page, settings,
members), meetings (a meeting and its agenda), papers, decisions (resolutions, action items,
the register) and minutes."""
