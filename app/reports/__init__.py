"""Reports: a neutral dataset (dataset.py) and its PDF and workbook writers. No Qt, no ORM."""
