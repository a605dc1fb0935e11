"""The network run through the API: the programme office and center staff manage centers."""
