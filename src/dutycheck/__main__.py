from dutycheck.cli import main

main()
