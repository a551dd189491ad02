"""Settings: a list of sections (General, Models, Retention, Security, About) beside a stack of
pages. Each page is a :class:`~desktop.ui.view.View` of its own that loads on activation."""
