from __future__ import annotations

import logging

from app.logging_setup import current_log_file, setup_logging


def test_log_file_masks_crn_and_email(tmp_path):
    path = setup_logging(tmp_path)
    try:
        assert current_log_file() == path
        logging.getLogger("app.test").info("opened X123456 for someone@example.invalid in 3 ms")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text()
        assert "in 3 ms" in text
        assert "X123456" not in text
        assert "someone@example.invalid" not in text
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if getattr(handler, "baseFilename", None) == str(path):
                root.removeHandler(handler)
                handler.close()
