"""Peak resident memory of this process, for the scikit-learn side of the benchmarks.

VmHWM from /proc/self/status (Linux). Not getrusage's ru_maxrss: on Linux it also counts the pages
the parent process had at fork time, which are carried across exec.
"""


def peak_rss_mb():
    """VmHWM of this process in MB, or None where /proc/self/status has no such line."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None
