"""Case-work forms (record a contact, an outcome, arrange an appointment...).

Every form derives from `ui.forms.base.CaseForm`; its docstring is the API.
"""
