// Word lists for value classification: common English and infrastructure words, credential words, vendor defaults.

function set(text: string): ReadonlySet<string> {
  return new Set(text.split(/\s+/).filter((w) => w.length > 0));
}

/**
 * Common English and software words. A value made only of these (plus short numbers) is a phrase a
 * person typed, not a generated secret. Short words (≤ 2 letters) are never counted as words.
 */
export const WORDS = set(`
a about above access account accounts across action active actual add added address admin administrator
after again against age agent algorithm all allow allowed alpha also always amazon among an analytics and
anon anonymous another any api apis app application apps archive are area around as asset assets at
attach audit auth authentication author authorization authorize auto available avoid away azure back backend
backup bad base based basic batch be bearer because become been before begin being below best beta
better between big bin binary bit black blob block blue board body boolean boot bot both box branch
break bridge broker browser bucket buffer bug build builder built bundle business but button by bypass
byte bytes cache call callback can cannot card case cert certificate certs chain change changed changes
channel char character characters chars chat check checkout child choose cipher city class clean clear
click client clients close cloud cluster code cold collect color column come command comment commit
common community company compose config configuration configure connect connection console consumer
contact container content context control cookie copy core correct cost could count country create
created credential credentials cron crypto current custom customer daemon daily dashboard data database
date day days db dead debug decrypt default defaults delete demo deploy deployment describe description
design desktop detail dev develop developer development device different digest direct directory
disable disabled discord display distinct do docker document does domain done door down download draft
drive driver drop dummy during dynamic each early easy edge edit editor effect else email empty enable
enabled encrypt encryption end endpoint engine enter enterprise entry env environment error event
every example exchange exist exit expire expired explain export extra extremely factor fake false
fast feature fetch field file files fill filter final find first fix fixed flag flow for force form
format forward found frame free from front frontend full function gate gateway general generate
generated generic get give global go good google grafana grant graph green group guard guest handle
handler hard has hash have header health hello help here hidden high hold home hook host hot hour
hours how http https hub id identity if image import important in include index info information init
input insecure insert inside install instance integration internal into invalid invite is issue issuer
it item its job join json just keep kept key keys kind know label lambda large last later layer
leave left legacy length let level library life light like limit line link list listen live load
local localhost lock log login logout long look loop low machine mail main make manage manager many
map market master match max maximum may me media member memory merge message meta method metric
middle migrate migration min minimum minio minute minutes missing mobile mode model module monitor
month more most move much multi must my name native need network never new next no node none not
note nothing notification now null number oauth object of off office offline old on once one only
open operator option optional or order org origin other our out output over owner package page
panel parameter parent parse part partner pass passphrase password passwords path pay payment peer per
period permission personal phone pick pipeline place placeholder plain platform play please plugin
point policy pool port portal post power prefix premium preview primary print private process prod
product production profile program project protect provide provider proxy public publish pull push
put query queue quick random range rate raw read ready real realm reason receive record redirect
redis refresh region register registry regular release remote remove render replace replica report
repository request require required reset resource response rest restore result return reverse
review right role root rotate route router rule run runner runtime safe salt same sample sandbox
save scan schema scope screen script search second secondary seconds secret secrets section secure
security seed select self send sender sensitive server service services session set setting settings
setup share shared short should show side sign signature signed signing simple single site size
skip slack slow small smtp so social socket some source special split sql stable stack stage staging
standard start state static status step still storage store stream strict string strong student
style sub subject super support switch sync system table tag take target task team temp template
temporary tenant term test testing text than that the their them then there these they thing this
through ticket time timeout tls to today token tokens tool top total trace track traffic transfer
trial true trust try type under unique unit unknown unlock until up update upload url use used user
username users using valid validate value values vault verify version very view visit wait want warn
warning was watch way web webhook websocket week welcome well what when where which while white who
why will window with without word work worker workflow workload write wrong year yes yet you your
zone
`);

/** Words that say what a credential is, not what it is: a value made of these and the block's own names is guessable. */
export const CREDENTIAL_WORDS = set(`
admin administrator auth db database default dev development local localhost pass passwd password
passwords pw pwd root secret secure super test user prod production staging stage qa demo example
sample key token changeme change
`);

/** Well-known vendor default credentials and the most common weak passwords. */
export const DEFAULT_CREDENTIALS = set(`
minioadmin minio123 postgres postgrespw mysql mariadb mongo mongodb redis rabbitmq guest elastic
elasticsearch changeme password password1 password123 passw0rd p@ssw0rd p@ssword admin admin123
admin1234 administrator root toor secret secret123 123456 1234567 12345678 123456789 1234567890
qwerty qwerty123 letmein welcome welcome1 test1234 testtest keycloak grafana pgadmin clickhouse
default
`);

/** Names of the services whose containers are bootstrapped with such credentials. */
export const VENDOR_WORDS = set(`
postgres postgresql pg mysql mariadb mongo mongodb redis rabbitmq rabbit minio elastic elasticsearch
kibana clickhouse grafana keycloak pgadmin temporal kafka zookeeper influx influxdb neo4j cassandra
couchdb memcached nats vault consul
`);
