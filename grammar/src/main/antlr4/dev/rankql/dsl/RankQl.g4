// The rankql search language. Clause keywords are upper-case and reserved; everything lower-case is an
// identifier, so new query, rescore and retriever types are added in the builder, not here.
grammar RankQl;

// Parse-tree nodes size their child lists for the few children they hold (see DslContext).
options { contextSuperClass = DslContext; }

standaloneRequest : request EOF ;
standaloneRetriever : retriever EOF ;
standaloneQuery : query EOF ;

request : (FROM index=name)? source? clause* ;

source
    : RETRIEVE retriever                                #retrieveSource
    | QUERY query (RESCORE rescore)*                    #querySource
    | (RESCORE rescore)+                                #rescoreSource
    ;

clause
    : SIZE integer                                      #sizeClause
    | OFFSET integer                                    #offsetClause
    | MIN_SCORE number                                  #minScoreClause
    | EXPLAIN booleanLiteral?                           #explainClause
    | PROFILE booleanLiteral?                           #profileClause
    | SOURCE value                                      #sourceClause
    | TRACK_TOTAL_HITS value                            #trackTotalHitsClause
    | COLLAPSE name collapseOption*                     #collapseClause
    | SORT sortItem (',' sortItem)*                     #sortClause
    | SEARCH_AFTER value                                #searchAfterClause
    | TERMINATE_AFTER integer                           #terminateAfterClause
    | TIMEOUT value                                     #timeoutClause
    | EXT value                                         #extClause
    | KNN value                                         #knnClause
    | AGGS value                                        #aggsClause
    | VERSION booleanLiteral?                           #versionClause
    | SEQ_NO_PRIMARY_TERM booleanLiteral?               #seqNoPrimaryTermClause
    | TRACK_SCORES booleanLiteral?                      #trackScoresClause
    | FIELDS value                                      #fieldsClause
    | DOCVALUE_FIELDS value                             #docvalueFieldsClause
    | STORED_FIELDS value                               #storedFieldsClause
    ;

// A collapse's inner hits sections are maps with the JSON's keys; each INNER_HITS adds one section.
collapseOption
    : INNER_HITS value                                  #innerHitsOption
    | MAX_CONCURRENT_GROUP_SEARCHES integer             #maxConcurrentGroupSearchesOption
    ;

// A rescorer pipe binds to everything on its left; its options end at the next pipe.
retriever
    : call                                              #baseRetriever
    | '(' retriever ')'                                 #parenthesizedRetriever
    | child=retriever '|' RESCORE rescore (RESCORE rescore)* rescorerOption*   #rescorerRetriever
    ;

rescorerOption
    : FILTER query                                      #filterOption
    | MIN_SCORE number                                  #minScoreOption
    | NAME name                                         #nameOption
    ;

rescore : call (WINDOW integer)? ;

query : call ;

call : function=identifier '(' (argument (',' argument)* ','?)? ')' ;

argument : (key=identifier ':')? value ;

value
    : call                                              #callValue
    | name '^' number                                   #boostedValue
    | name order=(ASC | DESC)                           #sortedValue
    | string                                            #stringValue
    | number                                            #numberValue
    | booleanLiteral                                    #booleanValue
    | NULL                                              #nullValue
    | '[' (value (',' value)* ','?)? ']'                #listValue
    | '{' (entry (',' entry)* ','?)? '}'                #mapValue
    | identifier                                        #identifierValue
    | '(' retriever ')'                                 #retrieverValue
    ;

entry : key=name ':' value ;

sortItem : name order=(ASC | DESC)? ;

name : identifier | string ;

identifier : IDENTIFIER ;

string : STRING ;

number : NUMBER ;

integer : NUMBER ;

booleanLiteral : TRUE | FALSE ;

FROM : 'FROM' ;
RETRIEVE : 'RETRIEVE' ;
QUERY : 'QUERY' ;
RESCORE : 'RESCORE' ;
WINDOW : 'WINDOW' ;
FILTER : 'FILTER' ;
MIN_SCORE : 'MIN_SCORE' ;
NAME : 'NAME' ;
SIZE : 'SIZE' ;
OFFSET : 'OFFSET' ;
EXPLAIN : 'EXPLAIN' ;
PROFILE : 'PROFILE' ;
SOURCE : 'SOURCE' ;
TRACK_TOTAL_HITS : 'TRACK_TOTAL_HITS' ;
COLLAPSE : 'COLLAPSE' ;
SORT : 'SORT' ;
SEARCH_AFTER : 'SEARCH_AFTER' ;
TERMINATE_AFTER : 'TERMINATE_AFTER' ;
TIMEOUT : 'TIMEOUT' ;
EXT : 'EXT' ;
KNN : 'KNN' ;
AGGS : 'AGGS' ;
VERSION : 'VERSION' ;
SEQ_NO_PRIMARY_TERM : 'SEQ_NO_PRIMARY_TERM' ;
TRACK_SCORES : 'TRACK_SCORES' ;
FIELDS : 'FIELDS' ;
DOCVALUE_FIELDS : 'DOCVALUE_FIELDS' ;
STORED_FIELDS : 'STORED_FIELDS' ;
INNER_HITS : 'INNER_HITS' ;
MAX_CONCURRENT_GROUP_SEARCHES : 'MAX_CONCURRENT_GROUP_SEARCHES' ;
ASC : 'ASC' ;
DESC : 'DESC' ;
TRUE : 'true' ;
FALSE : 'false' ;
NULL : 'null' ;

LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LBRACE : '{' ;
RBRACE : '}' ;
COMMA : ',' ;
COLON : ':' ;
PIPE : '|' ;
CARET : '^' ;

// A number never starts an identifier, so `2` and `title^2` lex apart without lookahead.
NUMBER : '-'? ('0' | [1-9] [0-9]*) ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? ;

IDENTIFIER : [a-zA-Z_@*] [a-zA-Z0-9_.@*]* ;

// Escapes are checked (and decoded) after lexing so that a bad one is reported at its own column.
STRING
    : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"'
    | '\'' (~['\\\r\n] | '\\' ~[\r\n])* '\''
    ;

LINE_COMMENT : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
WS : [ \t\r\n\f]+ -> channel(HIDDEN) ;
