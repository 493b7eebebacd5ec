"""Server-rendered pages (Jinja2 + htmx), error rendering, CSRF and the template environment."""
