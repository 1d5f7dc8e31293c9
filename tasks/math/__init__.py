"""Math and STEM templates."""
