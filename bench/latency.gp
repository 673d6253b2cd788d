# Ask latency against corpus size (bench/run.sh): gnuplot -e "datafile='…'; outfile='…'" bench/latency.gp
if (!exists("datafile")) datafile = 'bench/results/latency.dat'
if (!exists("outfile")) outfile = 'bench/results/latency.png'
set terminal pngcairo size 900,560 font "sans,10"
set output outfile
set title "citeqa Ask latency vs corpus size (question mix, one client)"
set xlabel "passages"
set ylabel "latency (ms)"
set logscale xy
set grid xtics ytics mxtics mytics
set key top left
set format x "10^{%L}"
set arrow from graph 0, first 10 to graph 1, first 10 nohead dashtype 2 lc rgb "#888888"
set label "10 ms" at graph 0.01, first 12 textcolor rgb "#666666"
plot datafile using 1:2 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "citeqa p50", \
     datafile using 1:3 with linespoints lw 2 pt 5 dt 2 lc rgb "#1f77b4" title "citeqa p99", \
     datafile using 1:4 with linespoints lw 2 pt 7 lc rgb "#ff7f0e" title "naive OR p50", \
     datafile using 1:5 with linespoints lw 2 pt 5 dt 2 lc rgb "#ff7f0e" title "naive OR p99"
