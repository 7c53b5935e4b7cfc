#!/usr/bin/env bash
# Benchmarks of the public power list (BENCHMARKS.md): with 5,000 items on the list, the portal's
# list search and an item page under load (32 connections, 20 s each). SQLite, release build.
# Needs wrk (apt-get install wrk) and python3. Usage: bench/powers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p fazhi >/dev/null
bin=target/release/fazhi
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$data"' EXIT
"$bin" --data-dir "$data" demo >/dev/null 2>&1
python3 - "$data/items.csv" <<'PY'
import csv, sys
cols = ["事项编码","事项名称","事项类型","上级事项编码","实施依据","责任单位","受理责任","审查责任","决定责任","送达责任","事后监管责任","其他责任","追责依据","法定时限（工作日）","承诺时限（工作日）","收费","申请材料","办理条件","网上办理深度","备注"]
kinds = ["行政处罚","行政检查","行政许可","行政强制","其他行政权力"]
orgs = ["zz-scztc","zz-smfwc","zz-dwmyc","zz-zfzd"]
with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for i in range(1, 4954):
        k = kinds[i % len(kinds)]
        r = {c: "" for c in cols}
        r.update({"事项编码": f"BENCH-{i:05d}", "事项名称": f"对第 {i} 类商贸流通违法行为的{k[2:]}", "事项类型": k,
                  "实施依据": "《商业特许经营管理条例》第二十五条", "责任单位": orgs[i % len(orgs)]})
        if k == "行政许可":
            r.update({"法定时限（工作日）": "20", "承诺时限（工作日）": "10", "收费": "不收费", "申请材料": "申请书；营业执照", "网上办理深度": "全程网办"})
        w.writerow([r[c] for c in cols])
PY
"$bin" --data-dir "$data" import power-list "$data/items.csv" --reason 基准测试 --basis 基准测试 --effective 2018-01-01 2>/dev/null
"$bin" --data-dir "$data" serve --bind "127.0.0.1:$port" >"$data/serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.05; done
total=$(curl -s "http://127.0.0.1:$port/powers" | grep -o 'data-testid="total">[0-9]*' | grep -o '[0-9]*$')
echo "items on the list today: $total"
for path in "/powers?q=%E5%A4%84%E7%BD%9A" "/powers?kind=licensing&page=5" "/powers/BENCH-02500"; do
  echo "wrk: GET $path, 32 connections, 20 s"
  wrk -t2 -c32 -d20s --latency "http://127.0.0.1:$port$path" | grep -E 'Requests/sec|99%|50%|Non-2xx'
done
