"""What the tools show, with no legal logic: escaping HTML builder, interface texts, the result document
model (rendered to HTML and Markdown), the widget frame shared by every tool, and strict JSON reading."""
