"""The main screens (one QWidget each) and what they share."""
