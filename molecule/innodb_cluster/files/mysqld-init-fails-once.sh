#!/bin/sh
# Test double for a starved host, installed over /usr/sbin/mysqld with dpkg-divert: the first
# datadir initialisation by mysql-server's postinst runs, then reports failure (as on a fresh CI
# machine, where MySQL logged "System views initialization failed" under load). Every other
# call is the real server.
real=/usr/sbin/mysqld.distrib
marker=/root/mysqld-init-failed-once
case " $* " in
  *" --initialize-insecure "*)
    if [ ! -e "$marker" ]; then
      date -u +%FT%TZ > "$marker"
      "$real" "$@"
      exit 1
    fi
    ;;
esac
exec "$real" "$@"
