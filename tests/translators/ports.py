#!/usr/bin/env python3
"""Loopback ports for the translator tests, without the race of "find a free port, then start a
server on it" (another process may take the port in between).

  ports.py listening PID      waits until process PID listens on a TCP port and prints it; the
                              port is found through the process's own sockets (/proc/PID/fd and
                              /proc/net/tcp*), so the server answering there is that process.
                              Exits 1 if the process ends first.
  ports.py written PORT_FILE PID
                              waits until process PID has written its port to PORT_FILE (by
                              rename, so a file that exists is whole) and prints it. Exits 1 if
                              the process ends first.
  ports.py closed PORT_FILE   holds a loopback port that refuses connections and writes it to
                              PORT_FILE, until killed: the socket is bound but never listens, so
                              a connection gets a reset, and no other process can bind the port
                              while it is held (neither SO_REUSEADDR nor SO_REUSEPORT is set).
"""
import os
import signal
import socket
import sys
import time

LISTEN = '0A'  # TCP_LISTEN in /proc/net/tcp's st column


def socket_inodes(pid):
    inodes = set()
    fd_dir = '/proc/%d/fd' % pid
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue  # closed while we looked
        if target.startswith('socket:['):
            inodes.add(target[len('socket:['):-1])
    return inodes


def listening_port(inodes):
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except FileNotFoundError:
            continue  # no IPv6 on this machine
        for row in rows:
            cols = row.split()
            if cols[3] == LISTEN and cols[9] in inodes:
                return int(cols[1].rsplit(':', 1)[1], 16)
    return None


def alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            state = f.read().rsplit(')', 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ('Z', 'X')


def wait_listening(pid):
    # Polls for the evidence itself (a listening socket of that process), as long as it lives.
    while alive(pid):
        try:
            port = listening_port(socket_inodes(pid))
        except (FileNotFoundError, ProcessLookupError):
            break
        if port is not None:
            print(port)
            return 0
        time.sleep(0.05)
    print('process %d ended before it listened on a TCP port' % pid, file=sys.stderr)
    return 1


def wait_written(port_file, pid):
    while True:
        try:
            with open(port_file) as f:
                print(int(f.read()))
            return 0
        except FileNotFoundError:
            pass
        if not alive(pid):
            print('process %d ended before it wrote %s' % (pid, port_file), file=sys.stderr)
            return 1
        time.sleep(0.05)


def hold_closed(port_file):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(('127.0.0.1', 0))
    tmp = port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write('%d\n' % s.getsockname()[1])
    os.rename(tmp, port_file)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    while True:
        signal.pause()


def main(argv):
    if len(argv) == 3 and argv[1] == 'listening':
        return wait_listening(int(argv[2]))
    if len(argv) == 4 and argv[1] == 'written':
        return wait_written(argv[2], int(argv[3]))
    if len(argv) == 3 and argv[1] == 'closed':
        return hold_closed(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
