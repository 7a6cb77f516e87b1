-- The Korean forms of a curated question's wrong options (the pack's `wrong_ko`): a JSON list as long as
-- `wrong`, in its order, or NULL when the pack gives none (Korean readers then see all four options in
-- English, so the right one never stands out). Content table: written by ingest only.
ALTER TABLE questions ADD COLUMN wrong_ko TEXT;
