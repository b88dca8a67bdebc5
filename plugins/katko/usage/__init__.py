"""Usage profiles of services (from access logs or counts), outage windows weighed against
them, and the week's heat map: the numbers behind "schedule outages when the service is used little".
"""
