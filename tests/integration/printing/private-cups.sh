#!/usr/bin/env bash
# A private CUPS server for the printing tests: all of its state lives under DIR, it listens
# on 127.0.0.1:PORT and on DIR/cups.sock, and it has one queue, `slips`, cups-filters' generic
# PDF printer, whose device is the file DIR/out/slips.pdf.
#
#   tests/integration/printing/private-cups.sh DIR PORT
#   export CUPS_SERVER=DIR/cups.sock ... kill "$(cat DIR/cupsd.pid)"
#
# Needs: root (cupsd runs its filters as the lp user) and, on Debian 12 (CUPS 2.4),
#   apt-get install --no-install-recommends cups cups-client cups-bsd printer-driver-cups-pdf
# DIR must be short (the socket path must fit in 108 bytes) and searchable by lp.
#
# What CUPS 2.4 does that a test must allow for:
# - the scheduler opens a file: device with O_WRONLY|O_EXCL and no O_CREAT, so the output file
#   must exist before each job: create it empty, mode 0666, in out/ (mode 1777);
# - a raw queue with a file: device reports the job completed but writes nothing: point raw
#   queues at socket://127.0.0.1:PORT (a test listener) instead;
# - cupsctl would rewrite cupsd.conf back to port 631: configure the queues with lpadmin only.
set -euo pipefail
dir=${1:?usage: private-cups.sh DIR PORT}
port=${2:?usage: private-cups.sh DIR PORT}

mkdir -p "$dir/etc/ppd" "$dir/spool/tmp" "$dir/cache" "$dir/state/certs" "$dir/log" "$dir/out"
chmod 1777 "$dir/out" "$dir/spool/tmp"
cat >"$dir/etc/cups-files.conf" <<EOT
ServerRoot $dir/etc
RequestRoot $dir/spool
TempDir $dir/spool/tmp
CacheDir $dir/cache
StateDir $dir/state
ServerBin /usr/lib/cups
DataDir /usr/share/cups
AccessLog $dir/log/access_log
ErrorLog $dir/log/error_log
PageLog $dir/log/page_log
FileDevice Yes
SystemGroup root
EOT
cat >"$dir/etc/cupsd.conf" <<EOT
LogLevel info
Listen 127.0.0.1:$port
Listen $dir/cups.sock
Browsing No
DefaultAuthType None
WebInterface No
<Location />
  Order allow,deny
  Allow localhost
</Location>
<Location /admin>
  Order allow,deny
  Allow localhost
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOT
cp /etc/cups/raw.convs /etc/cups/raw.types "$dir/etc/"
setsid /usr/sbin/cupsd -f -c "$dir/etc/cupsd.conf" -s "$dir/etc/cups-files.conf" \
    </dev/null >"$dir/log/cupsd.out" 2>&1 &
echo $! >"$dir/cupsd.pid"

export CUPS_SERVER=$dir/cups.sock
for _ in $(seq 300); do
    lpstat -r 2>/dev/null | grep -q "is running" && break
    sleep 0.1
done
lpstat -r | grep -q "is running" || { echo "cupsd did not start: see $dir/log" >&2; exit 1; }
install -m 0666 /dev/null "$dir/out/slips.pdf"
lpadmin -p slips -E -v "file://$dir/out/slips.pdf" \
    -m lsb/usr/cupsfilters/Generic-PDF_Printer-PDF.ppd
