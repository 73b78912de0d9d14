#!/bin/sh
# Test double for a starved host, installed over /usr/sbin/mysqld with dpkg-divert: the first
# datadir initialisation by mysql-server's postinst runs, then reports failure (as on a fresh CI
# machine, where MySQL logged "System views initialization failed" under load). It then puts the
# real binary back in its place, so every later call (and `pkill -x mysqld`) sees the real mysqld.
real=/usr/sbin/mysqld.distrib
case " $* " in
  *" --initialize-insecure "*)
    date -u +%FT%TZ > /root/mysqld-init-failed-once
    "$real" "$@"
    ln -f "$real" /usr/sbin/mysqld
    exit 1
    ;;
esac
exec "$real" "$@"
