from wksbm_cli.app import main

main()
