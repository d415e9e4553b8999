"""Template filters of the contacts app: where a contact detail leads (contact_links).
Loaded by the public page, the contacts page and the PDF."""
