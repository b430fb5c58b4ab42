"""`kg browse`: the graph browser's HTTP server, its JSON API and the graphs it draws."""
