"""過去形にする: the 実績 drafts' sentence ends put in the past, after a preview."""
