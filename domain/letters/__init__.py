"""Letters an officer sends: facts from the case, admin-editable templates, what is kept."""
