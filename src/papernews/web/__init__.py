"""The web app (`papernews serve`): the curator's workbench and a JSON API over the archive.

`app.create_app(settings)` builds it; `settings.WebSettings` says where things are; `service`
holds what the pages and the API both do; `api` is `/api/v1`; `security`, `deps` and
`auth_routes` are the login, sessions, tokens and CSRF. FastAPI is imported only by the
modules that need it, so `papernews.web.settings` stays cheap to import.
"""
