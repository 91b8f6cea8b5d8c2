"""The flotilla executable allocates through jemalloc, with the options of Sources/CAllocator."""
import os
import re
import subprocess

from conftest import flotilla_binary


def allocator_options(malloc_conf):
    """The options jemalloc reports at exit of `flotilla version` under `MALLOC_CONF`."""
    env = dict(os.environ, MALLOC_CONF=malloc_conf)
    run = subprocess.run([flotilla_binary(), "version"], env=env, capture_output=True, text=True, check=True)
    assert run.stdout.startswith("flotilla "), run.stdout
    options = dict(re.findall(r"^\s+opt\.(\w+): (\S+)", run.stderr, re.MULTILINE))
    assert options, "jemalloc printed no statistics: the executable does not allocate through it"
    return options


def test_built_in_options_hold_one_arena_and_return_pages_after_a_second():
    options = allocator_options("stats_print:true")
    assert options["narenas"] == "1"
    assert options["background_thread"] == "true"
    assert options["dirty_decay_ms"] == "1000"
    assert options["muzzy_decay_ms"] == "0"


def test_the_environment_overrides_the_built_in_options():
    options = allocator_options("stats_print:true,narenas:2,dirty_decay_ms:5000")
    assert options["narenas"] == "2"
    assert options["dirty_decay_ms"] == "5000"
    assert options["background_thread"] == "true"
