"""Our date formats, found by FORMAT_MODULE_PATH before Django's own.

English: Django's puts the month first ("May 14, 2004", "05/14/2004"); ours reads day, month,
year ("14 May 2004") and accepts no month/day input. Belarusian: Django has no format module.
Russian: Django's ("14 мая 2004 г.") is what Russian offices write, so it has no module here.
"""
