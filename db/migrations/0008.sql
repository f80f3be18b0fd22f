-- 0008: dossiers that reach the centre by post (the one-stop decrees,
-- 61/2018/ND-CP and now 118/2025/ND-CP, allow filing directly, through the
-- public postal service or online). The officer who opens the envelope receives it at the branch
-- like a counter dossier (channel 'counter': the same lifecycle and
-- scope); this flag tells the indicators to count it as received by post
-- instead of directly.
ALTER TABLE dossier ADD COLUMN received_by_post INTEGER NOT NULL DEFAULT 0 CHECK (received_by_post IN (0, 1));
