# A pseudo-terminal pair for the serial bridge test: prints the slave's path, then relays bytes
# between the master side and this process's stdin/stdout (where the test's fake board sits).
# The slave is what a program opens as the board's serial device (/dev/ttyACM0 on a real one).
import os, pty, select, sys, tty

master, slave = pty.openpty()
tty.setraw(slave)
sys.stdout.write(os.ttyname(slave) + "\n")
sys.stdout.flush()
stdin, stdout = sys.stdin.buffer.fileno(), sys.stdout.buffer.fileno()
while True:
    ready, _, _ = select.select([master, stdin], [], [])
    if master in ready:
        try:
            data = os.read(master, 4096)
        except OSError:
            data = b""
        if data:
            os.write(stdout, data)
    if stdin in ready:
        data = os.read(stdin, 4096)
        if not data:
            break
        os.write(master, data)
