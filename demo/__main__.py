"""`python -m demo`: run the scripted session and print its transcript."""

from demo.script import main

if __name__ == "__main__":
    raise SystemExit(main())
