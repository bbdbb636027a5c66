"""A throwaway PostgreSQL cluster in a temporary folder, listening on a free loopback port."""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time


def find_bin_dir():
    """The newest PostgreSQL server's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return os.path.dirname(found[-1]) if found else None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    def __init__(self, bin_dir):
        self.bin_dir = bin_dir
        self.folder = tempfile.mkdtemp(prefix="pioneer-pg-")
        self.data = os.path.join(self.folder, "data")
        self.port = free_port()
        # PostgreSQL refuses to run as root; run it as the postgres user then.
        self.as_user = []
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, name, *args):
        subprocess.run([*self.as_user, os.path.join(self.bin_dir, name), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self):
        self.run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                   f"-c unix_socket_directories={self.folder} -c fsync=off")
        self.run("pg_ctl", "-D", self.data, "-o", options, "-w", "-t", "60", "-l",
                 os.path.join(self.folder, "log"), "start")
        return self

    def url(self, database):
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name):
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self):
        try:
            self.run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            time.sleep(0.1)
            shutil.rmtree(self.folder, ignore_errors=True)
