# The db-init Job's image (deploy/kubernetes/db-init.yaml): the mysql client and db-init/*.sql, applied in name order
# to the server in MYSQL_HOST as MYSQL_USER (password in MYSQL_PWD). From the repository root:
#   docker build -f docker/db-init.Dockerfile -t challenge/db-init .
FROM mysql:8.4@sha256:b3b90af2a6552ae30c266fdb7d5dd55f3afb72404bb78d37fe8a23eb857fd3fb
COPY db-init/*.sql /db-init/
USER mysql
ENTRYPOINT ["sh", "-c", "for script in /db-init/*.sql; do echo \"applying $script\"; mysql --host=\"$MYSQL_HOST\" --user=\"$MYSQL_USER\" < \"$script\" || exit 1; done"]
