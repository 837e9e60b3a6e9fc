"""The board's past, computed from its event log: the fold (state.py), and what is built on
it (replay, checkpoints and compaction, time travel, reports, undo)."""
