"""People without the Django admin: invitations, roles and their scopes, accounts, agencies.

Who manages whom (rules.py): central administrators (role ``central_admin``) and superusers
manage everyone, including the OSM staff of any cluster and other central administrators;
the OSM staff of a cluster manage that cluster's people — further staff, committee members and
the officers of its member provinces — and its agencies. Nobody gives themselves a role.
"""
