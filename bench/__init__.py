"""`make bench`: the app under gunicorn against a bare Flask app of the same page size.

- `bench.http`: a small keep-alive HTTP/1.1 client on asyncio, cheap enough that one core
  drives both servers without being the bottleneck first.
- `bench.learners`: simulated learners (register, log in, start rounds, answer) and the
  statistics of every request they make.
- `bench.baseline`: the bare Flask app.
- `bench.run`: starts each server on a fresh database, runs the phases, checks the answers
  in the database against the acknowledged ones, prints the table (`python -m bench`).
"""
