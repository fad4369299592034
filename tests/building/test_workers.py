"""How many processes a build renders in (build.workers)."""


def test_the_default_process_count_follows_usable_cpus_and_outputs(monkeypatch, tmp_path):
    from reportgen.build import workers

    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    quota = tmp_path / "cpu.max"
    quota.write_text("max 100000\n")
    monkeypatch.setattr(workers, "CPU_MAX", str(quota))
    assert workers.usable_cpus() == 8
    quota.write_text("250000 100000\n")  # a container limited to 2.5 CPUs
    assert workers.usable_cpus() == 2
    assert [workers.workers_for(0, n) for n in (1, 2, 3, 10)] == [1, 2, 2, 2]
    assert workers.workers_for(4, 3) == 3 and workers.workers_for(1, 10) == 1
