"""The domain: functions that take plain data, the actor and ``now``, and only flush."""
