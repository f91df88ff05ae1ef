"""Teaching panels: the workings behind a seat allocation and a power index, in plain words.

Shared by `sim allocate --explain`, `sim power --explain` and the classroom web app
(`sim serve`), so a class sees the same explanation on the command line and in the browser.
"""
