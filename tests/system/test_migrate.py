"""deploy/entrypoint.sh migrate, started twice at once (as the stack does): one does the work."""


def test_concurrent_migrate_runs_take_turns(stack):
    outputs = stack.migrate_outputs
    assert all("lock held" in out for out in outputs)
    applying = [out.count("Applying ") for out in outputs]
    assert sorted(applying)[0] == 0, applying  # the second found nothing left to apply
    assert sorted(applying)[1] > 0, applying
