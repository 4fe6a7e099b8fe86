"""Authentication: password and refresh-token grants, devices, access tokens."""
