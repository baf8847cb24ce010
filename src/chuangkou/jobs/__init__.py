"""后台任务: the worker (`chuangkou worker`), the schedules it runs and their page for the sysadmin.

The jobs themselves are django-tasks tasks (queued through `chuangkou.core.tasks.enqueue`); this
app runs them: the database worker of django-tasks-db, a heartbeat per worker process (so the jobs
of a worker that died are found and marked failed), and the scheduler that queues the periodic
jobs declared in `schedules.SCHEDULES`.
"""
