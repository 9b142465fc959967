"""One module per command line command (``configure`` + ``execute``)."""
