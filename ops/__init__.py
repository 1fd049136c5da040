"""Running framegap unattended: `update` (one incremental cycle for cron) and `schedule`."""
