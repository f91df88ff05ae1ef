"""`sim serve`: a local web app to play scenarios live, intervene, fork and teach.

`live` drives a run in pieces (the engine's `Model.advance` hook); `app` is the Starlette
application; `static/` is the page (vanilla JavaScript, no CDN, nothing from the network).
"""
