"""What the test layers share: builders, fixtures and URL confs."""
