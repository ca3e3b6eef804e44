import { describe, expect, it } from "vitest";
import type { Lang } from "../../src/i18n/messages.js";
import { type MatchQuality, parseQuestion, type Question, resolveSubject } from "../../src/understand/question.js";
import { foldKey } from "../../src/understand/text.js";

type Expect = Partial<Question> & { subject: string };

/**
 * What people type, and how it must be read. The subject is the part the lookup resolves; `also` lists
 * readings that must be among the alternatives (the lookup tries them first).
 */
const TABLE: [input: string, lang: Lang, expected: Expect & { also?: string[] }][] = [
  // The issue's own examples
  ["chi ha vinto a genova?", "it", { intent: "results", subject: "genova", implied: false }],
  ["risultati verona", "it", { intent: "results", subject: "verona" }],
  ["come è andata a Parma", "it", { intent: "results", subject: "Parma" }],
  ["who won in Genoa", "en", { intent: "results", subject: "Genoa", also: ["Genova"], said: "en" }],
  ["results Verona", "en", { intent: "results", subject: "Verona" }],
  ["affluenza parma", "it", { intent: "turnout", subject: "parma" }],
  ["quanti hanno votato a Lecce", "it", { intent: "turnout", subject: "Lecce" }],
  ["turnout Parma", "en", { intent: "turnout", subject: "Parma" }],
  ["ballottaggi", "it", { intent: "runoffs", subject: "" }],
  ["runoffs", "en", { intent: "runoffs", subject: "" }],
  ["chi va al ballottaggio a Verona", "it", { intent: "runoffs", subject: "Verona" }],
  ["ultime", "it", { intent: "news", subject: "" }],
  ["novità su Genova", "it", { intent: "news", subject: "Genova" }],
  ["ultime 3 genova", "it", { intent: "news", subject: "genova", n: 3 }],
  ["news", "it", { intent: "news", subject: "" }],
  ["segui Genova", "it", { intent: "follow", subject: "Genova" }],
  ["iscrivimi a Parma", "it", { intent: "follow", subject: "Parma" }],
  ["follow Genoa", "en", { intent: "follow", subject: "Genoa" }],
  ["aiuto", "it", { intent: "help", subject: "" }],
  ["help", "en", { intent: "help", subject: "" }],
  ["cosa sai fare", "it", { intent: "help", subject: "" }],
  ["ciao", "it", { intent: "greeting", subject: "" }],
  ["buonasera", "it", { intent: "greeting", subject: "" }],
  ["hi", "en", { intent: "greeting", subject: "" }],
  ["hello", "en", { intent: "greeting", subject: "" }],
  ["info", "it", { intent: "info", subject: "" }],
  ["grazie", "it", { intent: "thanks", subject: "" }],
  ["/ultime 999", "it", { intent: "news", subject: "", n: 999 }],
  ["citta genova", "it", { intent: "results", subject: "genova" }],
  ["affluenza", "it", { intent: "turnout", subject: "" }],
  // Results, Italian
  ["Chi ha vinto a Genova?", "it", { intent: "results", subject: "Genova" }],
  ["CHI HA VINTO A GENOVA", "it", { intent: "results", subject: "GENOVA" }],
  ["chi ha vinto a genova???", "it", { intent: "results", subject: "genova" }],
  ["chi ha vinto a Genova!!", "it", { intent: "results", subject: "Genova" }],
  ["🗳 chi ha vinto a Genova? 🤔", "it", { intent: "results", subject: "Genova" }],
  ["chi ha vinto le elezioni a Genova?", "it", { intent: "results", subject: "Genova" }],
  ["chi è il sindaco di Genova", "it", { intent: "results", subject: "Genova" }],
  ["chi e il nuovo sindaco di genova", "it", { intent: "results", subject: "genova" }],
  ["chi è stato eletto a Parma?", "it", { intent: "results", subject: "Parma" }],
  ["chi vince a Verona", "it", { intent: "results", subject: "Verona" }],
  ["chi sta vincendo a Verona?", "it", { intent: "results", subject: "Verona" }],
  ["chi è in testa a Lecce?", "it", { intent: "results", subject: "Lecce" }],
  ["com'è andata a Parma?", "it", { intent: "results", subject: "Parma" }],
  ["com è andata a parma", "it", { intent: "results", subject: "parma" }],
  ["come e andata a Parma", "it", { intent: "results", subject: "Parma" }],
  ["come è finita a Taranto?", "it", { intent: "results", subject: "Taranto" }],
  ["come va a Genova?", "it", { intent: "results", subject: "Genova" }],
  ["risultati di Verona", "it", { intent: "results", subject: "Verona" }],
  ["i risultati di Verona per favore", "it", { intent: "results", subject: "Verona" }],
  ["Risultati Verona.", "it", { intent: "results", subject: "Verona" }],
  ["risultato padova", "it", { intent: "results", subject: "padova" }],
  ["risulati genova", "it", { intent: "results", subject: "genova" }],
  ["risultai genova", "it", { intent: "results", subject: "genova" }],
  ["RISULTATI GENOVA", "it", { intent: "results", subject: "GENOVA" }],
  ["esito Parma", "it", { intent: "results", subject: "Parma" }],
  ["sindaco Genova", "it", { intent: "results", subject: "Genova" }],
  ["voti Lecce", "it", { intent: "results", subject: "Lecce" }],
  ["quanti voti ha preso Bucci a Genova", "it", { intent: "results", subject: "Bucci a Genova" }],
  ["dimmi i risultati di Reggio nell'Emilia per favore", "it", { intent: "results", subject: "Reggio nell'Emilia" }],
  ["vorrei sapere chi ha vinto a Sesto San Giovanni", "it", { intent: "results", subject: "Sesto San Giovanni" }],
  ["a Genova chi ha vinto?", "it", { intent: "results", subject: "Genova" }],
  ["Genova chi ha vinto", "it", { intent: "results", subject: "Genova" }],
  ["genova: risultati", "it", { intent: "results", subject: "genova" }],
  ["chi ha vinto a genova oggi", "it", { intent: "results", subject: "genova" }],
  ["chi ha vinto ieri a Genova?", "it", { intent: "results", subject: "Genova" }],
  ["chi ha vinto?", "it", { intent: "results", subject: "" }],
  ["risultati", "it", { intent: "results", subject: "" }],
  ["Risultati, grazie", "it", { intent: "results", subject: "" }],
  ["ciao, chi ha vinto a Genova?", "it", { intent: "results", subject: "Genova" }],
  ["buonasera! risultati di Parma?", "it", { intent: "results", subject: "Parma" }],
  ["mi dici chi ha vinto a Parma?", "it", { intent: "results", subject: "Parma" }],
  ["chi sono i candidati a Genova", "it", { intent: "results", subject: "Genova" }],
  ["candidati Genova", "it", { intent: "results", subject: "Genova" }],
  ["chi ha vinto a Palermo e a Genova?", "it", { intent: "results", subject: "Palermo" }],
  ["che succede a Genova?", "it", { intent: "results", subject: "Genova", implied: true }],
  ["genova? chi ha vinto", "it", { intent: "results", subject: "genova" }],
  ["S. Giovanni in Fiore", "it", { intent: "results", subject: "S. Giovanni in Fiore", implied: true }],
  ["Monza e della Brianza", "it", { intent: "results", subject: "Monza e della Brianza", implied: true }],
  ["@ElezioniBot chi ha vinto a Genova?", "it", { intent: "results", subject: "Genova" }],
  ["#Genova risultati", "it", { intent: "results", subject: "Genova" }],
  // Articles, elisions and names that hold prepositions
  ["chi ha vinto alla Spezia?", "it", { intent: "results", subject: "Spezia", also: ["la Spezia"] }],
  ["risultati La Spezia", "it", { intent: "results", subject: "Spezia", also: ["La Spezia"] }],
  ["chi ha vinto all'Aquila", "it", { intent: "results", subject: "Aquila", also: ["l'Aquila"] }],
  ["chi ha vinto all’Aquila", "it", { intent: "results", subject: "Aquila", also: ["l'Aquila"] }],
  ["chi ha vinto a L'Aquila?", "it", { intent: "results", subject: "Aquila", also: ["L'Aquila"] }],
  ["risultati dell' Aquila", "it", { intent: "results", subject: "Aquila", also: ["l'Aquila"] }],
  ["L'Aquila", "it", { intent: "results", subject: "Aquila", implied: true, also: ["L'Aquila"] }],
  ["l aquila", "it", { intent: "results", subject: "aquila", also: ["l aquila"] }],
  ["risultati San Giovanni in Fiore", "it", { intent: "results", subject: "San Giovanni in Fiore" }],
  [
    "chi ha vinto a Sotto il Monte Giovanni XXIII?",
    "it",
    { intent: "results", subject: "Sotto il Monte Giovanni XXIII" },
  ],
  [
    "risultati di Castrocaro Terme e Terra del Sole",
    "it",
    { intent: "results", subject: "Castrocaro Terme e Terra del Sole" },
  ],
  ["affluenza Sant'Agata de' Goti", "it", { intent: "turnout", subject: "Sant'Agata de' Goti" }],
  ["risultati città di castello", "it", { intent: "results", subject: "castello", also: ["città di castello"] }],
  ["Città di Castello", "it", { intent: "results", subject: "Castello", also: ["Città di Castello"] }],
  ["Città della Pieve", "it", { intent: "results", subject: "Pieve", also: ["Città della Pieve"] }],
  ["Città Sant'Angelo", "it", { intent: "results", subject: "Sant'Angelo", also: ["Città Sant'Angelo"] }],
  ["Castel di Ieri", "it", { intent: "results", subject: "Castel", also: ["Castel di Ieri"] }],
  ["affluenza Cavasso Nuovo", "it", { intent: "turnout", subject: "Cavasso", also: ["Cavasso Nuovo"] }],
  ["Fai della Paganella", "it", { intent: "results", subject: "Paganella", also: ["Fai della Paganella"] }],
  ["Cella Dati", "it", { intent: "results", subject: "Cella", also: ["Cella Dati"] }],
  ["chi ha vinto a Ora?", "it", { intent: "results", subject: "Ora" }],
  ["Ora", "it", { intent: "results", subject: "Ora", implied: true }],
  ["novità su Ultimo", "it", { intent: "news", subject: "Ultimo" }],
  ["risultati Salve", "it", { intent: "results", subject: "Salve" }],
  ["Segni", "it", { intent: "results", subject: "Segni", implied: true }],
  ["Vincenzo", "it", { intent: "results", subject: "Vincenzo", implied: true }],
  ["Castel San Vincenzo", "it", { intent: "results", subject: "Castel San Vincenzo", implied: true }],
  ["Cancellara", "it", { intent: "results", subject: "Cancellara", implied: true }],
  ["Dello", "it", { intent: "results", subject: "Dello", implied: true }],
  ["Ne", "it", { intent: "results", subject: "Ne", implied: true }],
  ["Paese", "it", { intent: "results", subject: "Paese", implied: true }],
  ["Tre Ville", "it", { intent: "results", subject: "Tre Ville", implied: true }],
  ["Como", "it", { intent: "results", subject: "Como", implied: true }],
  // Bare names: the city card, as before
  ["Genova", "it", { intent: "results", subject: "Genova", implied: true }],
  ["genova", "it", { intent: "results", subject: "genova", implied: true }],
  ["GENOVA", "it", { intent: "results", subject: "GENOVA", implied: true }],
  ["genova?", "it", { intent: "results", subject: "genova", implied: true }],
  ["  Genova  ", "it", { intent: "results", subject: "Genova", implied: true }],
  ["Genova 🙂", "it", { intent: "results", subject: "Genova", implied: true }],
  ["«Genova»", "it", { intent: "results", subject: "Genova", implied: true }],
  ["'Genova'", "it", { intent: "results", subject: "Genova", implied: true }],
  ["genva", "it", { intent: "results", subject: "genva", implied: true }],
  ["Forlì", "it", { intent: "results", subject: "Forlì", implied: true }],
  ["FORLÌ", "it", { intent: "results", subject: "FORLÌ", implied: true }],
  ["Cantù", "it", { intent: "results", subject: "Cantù", implied: true }],
  ["Reggio Emilia", "it", { intent: "results", subject: "Reggio Emilia", implied: true }],
  ["ciao Parma", "it", { intent: "results", subject: "Parma", implied: true }],
  ["grazie, e a Parma?", "it", { intent: "results", subject: "Parma", implied: true }],
  ["e a Verona?", "it", { intent: "results", subject: "Verona", implied: true }],
  ["Genoa", "en", { intent: "results", subject: "Genoa", also: ["Genova"], implied: true }],
  ["Florence", "it", { intent: "results", subject: "Florence", also: ["Firenze"] }],
  // Provinces and regions
  ["affluenza provincia di Genova", "it", { intent: "turnout", subject: "Genova", place: "province" }],
  ["provincia di genova affluenza", "it", { intent: "turnout", subject: "genova", place: "province" }],
  ["risultati città metropolitana di Genova", "it", { intent: "results", subject: "Genova", place: "province" }],
  ["risultati regione Liguria", "it", { intent: "results", subject: "Liguria", place: "region" }],
  ["chi ha vinto in Liguria?", "it", { intent: "results", subject: "Liguria" }],
  ["affluenza in Sardegna", "it", { intent: "turnout", subject: "Sardegna" }],
  ["affluenza comune di Parma", "it", { intent: "turnout", subject: "Parma", place: "comune" }],
  ["turnout in Sardinia", "en", { intent: "turnout", subject: "Sardinia", also: ["Sardegna"] }],
  ["turnout province of Genoa", "en", { intent: "turnout", subject: "Genoa", place: "province", also: ["Genova"] }],
  ["results Emilia-Romagna", "en", { intent: "results", subject: "Emilia-Romagna" }],
  // Results, English
  ["Who won in Genoa?", "en", { intent: "results", subject: "Genoa", also: ["Genova"] }],
  ["who won genoa", "it", { intent: "results", subject: "genoa", also: ["Genova"], said: "en" }],
  ["who is the mayor of Rome?", "en", { intent: "results", subject: "Rome", also: ["Roma"] }],
  ["who's winning in Milan?", "en", { intent: "results", subject: "Milan", also: ["Milano"] }],
  ["who is leading in Turin", "en", { intent: "results", subject: "Turin", also: ["Torino"] }],
  ["how did it go in Naples?", "en", { intent: "results", subject: "Naples", also: ["Napoli"] }],
  ["results for Venice please", "en", { intent: "results", subject: "Venice", also: ["Venezia"] }],
  ["Padua results", "en", { intent: "results", subject: "Padua", also: ["Padova"] }],
  ["RESULTS FLORENCE", "en", { intent: "results", subject: "FLORENCE", also: ["Firenze"] }],
  ["resluts Verona", "en", { intent: "results", subject: "Verona" }],
  ["can you tell me who won in Leghorn?", "en", { intent: "results", subject: "Leghorn", also: ["Livorno"] }],
  ["election results Mantua", "en", { intent: "results", subject: "Mantua", also: ["Mantova"] }],
  ["who won in Syracuse", "en", { intent: "results", subject: "Syracuse", also: ["Siracusa"] }],
  ["city Genoa", "en", { intent: "results", subject: "Genoa" }],
  ["city", "en", { intent: "results", subject: "" }],
  ["who won?", "en", { intent: "results", subject: "", said: "en" }],
  // Turnout
  ["Affluenza Parma?", "it", { intent: "turnout", subject: "Parma" }],
  ["AFFLUENZA PARMA", "it", { intent: "turnout", subject: "PARMA" }],
  ["afluenza parma", "it", { intent: "turnout", subject: "parma" }],
  ["affluenza a Parma alle 19", "it", { intent: "turnout", subject: "Parma" }],
  ["affluenza alle 12 a Genova", "it", { intent: "turnout", subject: "Genova" }],
  ["Parma affluenza", "it", { intent: "turnout", subject: "Parma" }],
  ["quanti hanno votato?", "it", { intent: "turnout", subject: "" }],
  ["in quanti hanno votato a Verona?", "it", { intent: "turnout", subject: "Verona" }],
  ["quanta gente ha votato a Como", "it", { intent: "turnout", subject: "Como" }],
  ["quante persone sono andate a votare a Lodi?", "it", { intent: "turnout", subject: "Lodi" }],
  ["partecipazione al voto a Rieti", "it", { intent: "turnout", subject: "Rieti" }],
  ["votanti Asti", "it", { intent: "turnout", subject: "Asti" }],
  ["turnout", "en", { intent: "turnout", subject: "" }],
  ["affluenza ore 19", "it", { intent: "turnout", subject: "" }],
  ["what's the turnout in Rome?", "en", { intent: "turnout", subject: "Rome", also: ["Roma"] }],
  ["Turnout in Parma?", "en", { intent: "turnout", subject: "Parma" }],
  ["turnuot parma", "en", { intent: "turnout", subject: "parma" }],
  ["how many people voted in Genoa?", "en", { intent: "turnout", subject: "Genoa", also: ["Genova"] }],
  ["how many voted in Lecce", "en", { intent: "turnout", subject: "Lecce" }],
  ["voter turnout Rome", "en", { intent: "turnout", subject: "Rome", also: ["Roma"] }],
  // Runoffs
  ["Ballottaggi", "it", { intent: "runoffs", subject: "" }],
  ["ballottaggi?", "it", { intent: "runoffs", subject: "" }],
  ["ballotaggi", "it", { intent: "runoffs", subject: "" }],
  ["ballottaggio Verona", "it", { intent: "runoffs", subject: "Verona" }],
  ["ballottaggio a Verona?", "it", { intent: "runoffs", subject: "Verona" }],
  ["chi andrà al ballottaggio a Parma?", "it", { intent: "runoffs", subject: "Parma" }],
  ["dove si va al ballottaggio?", "it", { intent: "runoffs", subject: "" }],
  ["secondo turno Genova", "it", { intent: "runoffs", subject: "Genova" }],
  ["quando ci sono i ballottaggi?", "it", { intent: "runoffs", subject: "" }],
  ["chi ha vinto il ballottaggio a Verona?", "it", { intent: "results", subject: "Verona" }],
  ["Runoffs", "en", { intent: "runoffs", subject: "" }],
  ["runoff in Verona", "en", { intent: "runoffs", subject: "Verona" }],
  ["run-off Parma", "en", { intent: "runoffs", subject: "Parma" }],
  ["second round Genoa", "en", { intent: "runoffs", subject: "Genoa" }],
  // News
  ["Ultime", "it", { intent: "news", subject: "" }],
  ["ultime notizie", "it", { intent: "news", subject: "" }],
  ["ultime 3", "it", { intent: "news", subject: "", n: 3 }],
  ["ultime 10 notizie", "it", { intent: "news", subject: "", n: 10 }],
  ["le ultime 5 su Genova", "it", { intent: "news", subject: "Genova", n: 5 }],
  ["ultime tre notizie su Parma", "it", { intent: "news", subject: "Parma", n: 3 }],
  ["ultime genova", "it", { intent: "news", subject: "genova" }],
  ["novita genova", "it", { intent: "news", subject: "genova" }],
  ["Novità su Genova?", "it", { intent: "news", subject: "Genova" }],
  ["ci sono novità?", "it", { intent: "news", subject: "" }],
  ["cosa c'è di nuovo?", "it", { intent: "news", subject: "" }],
  ["aggiornamenti Verona", "it", { intent: "news", subject: "Verona" }],
  ["notizie da Palermo", "it", { intent: "news", subject: "Palermo" }],
  ["/ultime", "it", { intent: "news", subject: "" }],
  ["/ultime 0", "it", { intent: "news", subject: "", n: 0 }],
  ["/ultime 3 genova", "it", { intent: "news", subject: "genova", n: 3 }],
  ["/ultime 99999999999999", "it", { intent: "news", subject: "", n: 999_999_999 }],
  ["news Genoa", "en", { intent: "news", subject: "Genoa", also: ["Genova"] }],
  ["latest news", "en", { intent: "news", subject: "" }],
  ["latest 5", "en", { intent: "news", subject: "", n: 5 }],
  ["last five updates on Genoa", "en", { intent: "news", subject: "Genoa", n: 5 }],
  ["what's new?", "en", { intent: "news", subject: "" }],
  ["any news about Parma?", "en", { intent: "news", subject: "Parma" }],
  // Following
  ["segui genova", "it", { intent: "follow", subject: "genova" }],
  ["Segui Genova e Parma", "it", { intent: "follow", subject: "Genova e Parma" }],
  ["iscrivimi a Genova, Parma", "it", { intent: "follow", subject: "Genova, Parma" }],
  ["voglio seguire Verona", "it", { intent: "follow", subject: "Verona" }],
  ["iscriviti", "it", { intent: "follow", subject: "" }],
  ["iscriviti tutti", "it", { intent: "follow", subject: "tutti" }],
  ["segui tutto", "it", { intent: "follow", subject: "tutto" }],
  ["segui solo le nazionali", "it", { intent: "follow", subject: "solo le nazionali" }],
  ["iscrivimi alle notizie nazionali", "it", { intent: "follow", subject: "nazionali" }],
  ["segui Genova, Parma solo esiti per favore", "it", { intent: "follow", subject: "Genova, Parma solo esiti" }],
  ["/iscriviti Genova, Parma", "it", { intent: "follow", subject: "Genova, Parma" }],
  ["/iscriviti", "it", { intent: "follow", subject: "" }],
  ["Follow Genoa and Parma", "en", { intent: "follow", subject: "Genoa and Parma" }],
  ["subscribe all", "en", { intent: "follow", subject: "all" }],
  ["subscribe me to Verona please", "en", { intent: "follow", subject: "Verona" }],
  ["non seguire più Genova", "it", { intent: "unfollow", subject: "Genova" }],
  ["smetti di seguire Parma", "it", { intent: "unfollow", subject: "Parma" }],
  ["disiscrivimi da Parma", "it", { intent: "unfollow", subject: "Parma" }],
  ["disiscriviti", "it", { intent: "unfollow", subject: "" }],
  ["unfollow Genoa", "en", { intent: "unfollow", subject: "Genoa" }],
  ["unsubscribe everything", "en", { intent: "unfollow", subject: "everything" }],
  ["stop", "en", { intent: "unfollow", subject: "" }],
  ["iscrizioni", "it", { intent: "subscriptions", subject: "" }],
  ["le mie iscrizioni", "it", { intent: "subscriptions", subject: "" }],
  ["cosa seguo?", "it", { intent: "subscriptions", subject: "" }],
  ["my subscriptions", "en", { intent: "subscriptions", subject: "" }],
  // Quiet hours
  ["silenzioso 23-7", "it", { intent: "quiet", subject: "23-7" }],
  ["/silenzioso 23:30-07:00", "it", { intent: "quiet", subject: "23:30-07:00" }],
  ["silenzioso dalle 23 alle 7", "it", { intent: "quiet", subject: "dalle 23 alle 7" }],
  ["silenzioso off", "it", { intent: "quiet", subject: "off" }],
  ["quiet hours 11pm-7am", "en", { intent: "quiet", subject: "11pm-7am" }],
  // Conversation
  ["Ciao!", "it", { intent: "greeting", subject: "" }],
  ["ciao 👋", "it", { intent: "greeting", subject: "" }],
  ["Buongiorno", "it", { intent: "greeting", subject: "" }],
  ["buona sera", "it", { intent: "greeting", subject: "" }],
  ["salve", "it", { intent: "greeting", subject: "" }],
  ["ciao come va?", "it", { intent: "greeting", subject: "" }],
  ["/start", "it", { intent: "greeting", subject: "" }],
  ["Hello!", "en", { intent: "greeting", subject: "" }],
  ["hey there", "en", { intent: "greeting", subject: "" }],
  ["good evening", "en", { intent: "greeting", subject: "" }],
  ["Aiuto!", "it", { intent: "help", subject: "" }],
  ["AIUTO", "it", { intent: "help", subject: "" }],
  ["cosa puoi fare?", "it", { intent: "help", subject: "" }],
  ["come funziona?", "it", { intent: "help", subject: "" }],
  ["ciao, aiuto", "it", { intent: "help", subject: "" }],
  ["what can you do?", "en", { intent: "help", subject: "" }],
  ["commands", "en", { intent: "help", subject: "" }],
  ["/aiuto", "it", { intent: "help", subject: "" }],
  ["/help", "en", { intent: "help", subject: "" }],
  ["Info", "it", { intent: "info", subject: "" }],
  ["/info", "it", { intent: "info", subject: "" }],
  ["quando si vota?", "it", { intent: "info", subject: "" }],
  ["Grazie!", "it", { intent: "thanks", subject: "" }],
  ["grazie mille 🙏", "it", { intent: "thanks", subject: "" }],
  ["ok grazie", "it", { intent: "thanks", subject: "" }],
  ["grazie ciao", "it", { intent: "thanks", subject: "" }],
  ["thanks!", "en", { intent: "thanks", subject: "" }],
  ["thank you", "en", { intent: "thanks", subject: "" }],
  ["thx", "en", { intent: "thanks", subject: "" }],
  // Slash commands, with capitals, accents, the bot's name and English aliases
  ["/città Genova", "it", { intent: "results", subject: "Genova" }],
  ["/citta genova", "it", { intent: "results", subject: "genova" }],
  ["/Citta genova", "it", { intent: "results", subject: "genova" }],
  ["/CITTA genova", "it", { intent: "results", subject: "genova" }],
  ["/città@ElezioniBot Genova", "it", { intent: "results", subject: "Genova" }],
  ["/city Genoa", "en", { intent: "results", subject: "Genoa", also: ["Genova"] }],
  ["/affluenza Parma", "it", { intent: "turnout", subject: "Parma" }],
  ["/turnout Parma", "en", { intent: "turnout", subject: "Parma" }],
  ["/ballottaggi", "it", { intent: "runoffs", subject: "" }],
  ["/runoffs", "en", { intent: "runoffs", subject: "" }],
  ["/news 5", "en", { intent: "news", subject: "", n: 5 }],
  ["/subscribe Genoa", "en", { intent: "follow", subject: "Genoa" }],
  ["/unsubscribe", "en", { intent: "unfollow", subject: "" }],
  ["/risulati Genova", "it", { intent: "results", subject: "Genova" }],
  ["/foo Genova", "it", { intent: "unknown", subject: "" }],
  // Nothing to answer
  ["", "it", { intent: "unknown", subject: "" }],
  ["   ", "it", { intent: "unknown", subject: "" }],
  ["🤔🤔", "it", { intent: "unknown", subject: "" }],
  ["???", "it", { intent: "unknown", subject: "" }],
  ["ok", "it", { intent: "unknown", subject: "" }],
  ["no", "it", { intent: "unknown", subject: "" }],
  ["annulla", "it", { intent: "unknown", subject: "" }],
  ["ciao, come stai?", "it", { intent: "greeting", subject: "" }],
  ["a che ora chiudono i seggi?", "it", { intent: "info", subject: "" }],
  ["/start genova", "en", { intent: "greeting", subject: "genova", said: "en" }],
  [
    "ieri sera ho visto un bellissimo film al cinema con i miei amici e poi siamo andati a mangiare",
    "it",
    { intent: "unknown", subject: "" },
  ],
];

describe("parseQuestion: what people type", () => {
  it("has a large table", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(150);
  });

  it.each(TABLE)("%j (%s)", (input, lang, expected) => {
    const { also, ...rest } = expected;
    const q = parseQuestion(input, lang);
    expect(q).toMatchObject(rest);
    if (rest.n === undefined) expect(q.n).toBeUndefined();
    const readings = q.alternatives.map(foldKey);
    for (const a of also ?? []) expect(readings).toContain(foldKey(a));
  });
});

describe("parseQuestion: details", () => {
  it("returns the subject exactly as written, so a miss can be quoted back", () => {
    expect(parseQuestion("chi ha vinto a GeNvA?!", "it").subject).toBe("GeNvA");
    expect(parseQuestion("risultati Reggio nell’Emilia", "it").subject).toBe("Reggio nell’Emilia");
  });

  it("understands English on an Italian client and Italian on an English one, and says which was written", () => {
    expect(parseQuestion("who won in Genoa", "it")).toMatchObject({ intent: "results", said: "en" });
    expect(parseQuestion("chi ha vinto a Genova", "en")).toMatchObject({ intent: "results", said: "it" });
    expect(parseQuestion("news", "en").said).toBe("en");
    expect(parseQuestion("Genova", "en").said).toBe("en");
  });

  it("marks a bare name as implied, a question as not", () => {
    expect(parseQuestion("Parma", "it").implied).toBe(true);
    expect(parseQuestion("risultati Parma", "it").implied).toBe(false);
  });

  it("alternatives never repeat the subject", () => {
    const q = parseQuestion("risultati Genova", "it");
    expect(q.alternatives).toEqual([]);
    expect(parseQuestion("la spezia", "it").alternatives).toEqual(["la spezia"]);
  });

  it("never throws on odd input", () => {
    const odd = [
      "/",
      "//",
      "/ ",
      "/@",
      "/ultime@",
      "'",
      "’’’",
      "a",
      "di",
      "\u0000\u200b",
      "🇮🇹".repeat(500),
      "x".repeat(10_000),
    ];
    for (const s of odd) expect(() => parseQuestion(s, "it")).not.toThrow();
  });
});

describe("resolveSubject", () => {
  // A lookup over a few names: exact by folded key, "near" for one letter off.
  const names = ["La Spezia", "Genova", "Città di Castello", "Castel di Ieri", "Castellino"];
  const lookup = (q: string) => {
    const k = foldKey(q);
    const exact = names.find((n) => foldKey(n) === k);
    if (exact) return { kind: "exact" as const, name: exact, asked: q };
    const near = names.find((n) => Math.abs(foldKey(n).length - k.length) <= 1 && similar(foldKey(n), k));
    return near ? { kind: "near" as const, name: near, asked: q } : { kind: "none" as const, asked: q };
  };
  const similar = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return a.slice(i + 1) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i) || a.slice(i) === b.slice(i + 1);
  };
  const quality = (r: ReturnType<typeof lookup>): MatchQuality => r.kind;
  const resolve = (text: string) => resolveSubject(parseQuestion(text, "it"), lookup, quality);

  it("prefers an exact reading anywhere", () => {
    expect(resolve("chi ha vinto alla Spezia?")).toMatchObject({ kind: "exact", name: "La Spezia" });
    expect(resolve("who won in Genoa")).toMatchObject({ kind: "exact", name: "Genova" });
    expect(resolve("risultati città di castello")).toMatchObject({ kind: "exact", name: "Città di Castello" });
    expect(resolve("Castel di Ieri")).toMatchObject({ kind: "exact", name: "Castel di Ieri" });
  });

  it("else the first near reading, the more literal first", () => {
    expect(resolve("chi ha vinto alla Speza")).toMatchObject({ kind: "near", name: "La Spezia" });
    expect(resolve("risultati genva")).toMatchObject({ kind: "near", name: "Genova" });
  });

  it("else the subject's own answer, to quote and suggest from", () => {
    expect(resolve("risultati Xyzzy")).toEqual({ kind: "none", asked: "Xyzzy" });
  });

  it("stops at the first exact match", () => {
    const asked: string[] = [];
    const q = parseQuestion("chi ha vinto alla Spezia", "it");
    resolveSubject(
      q,
      (s) => {
        asked.push(s);
        return lookup(s);
      },
      quality,
    );
    expect(asked).toEqual(["la Spezia"]);
  });
});

/**
 * Every comune, province and region in ISTAT's list (7,978 comuni, July 2017) was read in these forms
 * when the vocabulary was written; these are the names that share a word with it (an article at the
 * start, "e"/"ed", "Nuovo", "Ieri", a number, a greeting...), kept here so that a new word in the
 * vocabulary cannot quietly swallow one of them.
 */
const NAMES_SHARING_WORDS = [
  "Baia e Latina",
  "Cancello ed Arnone",
  "Capraia e Limite",
  "Casalbuttano ed Uniti",
  "Castel di Ieri",
  "Castrocaro Terme e Terra del Sole",
  "Cavasso Nuovo",
  "Cella Dati",
  "Città della Pieve",
  "Città di Castello",
  "Città Sant'Angelo",
  "Comun Nuovo",
  "Cornale e Bastida",
  "Corteolona e Genzone",
  "Due Carrare",
  "Erto e Casso",
  "Fai della Paganella",
  "Figline e Incisa Valdarno",
  "Giffoni Sei Casali",
  "Grandola ed Uniti",
  "Gravedona ed Uniti",
  "Grumello Cremonese ed Uniti",
  "Inverno e Monteleone",
  "L'Aquila",
  "La Cassa",
  "La Loggia",
  "La Maddalena",
  "La Magdeleine",
  "La Morra",
  "La Salle",
  "La Spezia",
  "La Thuile",
  "La Valle",
  "La Valle Agordina",
  "La Valletta Brianza",
  "Lampedusa e Linosa",
  "Maccagno con Pino e Veddasca",
  "Marsico Nuovo",
  "Massa e Cozzile",
  "Monticello Conte Otto",
  "Nove",
  "Pescarolo ed Uniti",
  "Pontirolo Nuovo",
  "Portico e San Benedetto",
  "Pozzaglio ed Uniti",
  "Quattro Castella",
  "Quindici",
  "Rivarolo del Re ed Uniti",
  "Rocchetta e Croce",
  "San Chirico Nuovo",
  "San Genesio ed Uniti",
  "San Lorenzo Nuovo",
  "San Martino Buon Albergo",
  "San Martino di Finita",
  "San Secondo di Pinerolo",
  "San Secondo Parmense",
  "Santa Cristina e Bissone",
  "Santi Cosma e Damiano",
  "Scarperia e San Piero",
  "Scheggia e Pascelupo",
  "Sermide e Felonica",
  "Sesto ed Uniti",
  "Tora e Piccilli",
  "Torano Nuovo",
  "Torre Beretti e Castellaro",
  "Tre Ville",
  "Trinità d'Agultu e Vignola",
  "Villa San Secondo",
  "Zelo Buon Persico",
  "Pesaro e Urbino",
  "Monza e della Brianza",
  // one edit from a word of the vocabulary
  "Segni",
  "Cancellara",
  "Castel San Vincenzo",
  "Como",
  "Dello",
  "Ne",
  "Paese",
  // regions with a slash
  "Trentino-Alto Adige/Südtirol",
  "Valle d'Aosta/Vallée d'Aoste",
];

describe("parseQuestion: names that share words with questions", () => {
  const forms: [string, (name: string) => string][] = [
    ["alone", (n) => n],
    ["after a command word", (n) => `risultati ${n}`],
    ["in a question", (n) => `chi ha vinto a ${n}?`],
    ["in a turnout question", (n) => `affluenza di ${n}`],
    ["in English", (n) => `who won in ${n}`],
  ];
  it.each(NAMES_SHARING_WORDS)("%s is read whole, in every form", (name) => {
    for (const [, form] of forms) {
      const q = parseQuestion(form(name), "it");
      expect([q.subject, ...q.alternatives].map(foldKey), form(name)).toContain(foldKey(name));
    }
  });

  it("the three known limits: 'Ora' and 'Ultimo' right after a command word are filler, 'Salve' alone greets", () => {
    expect(parseQuestion("risultati Ora", "it").subject).toBe("");
    expect(parseQuestion("risultati Ultimo", "it").subject).toBe("");
    expect(parseQuestion("Salve", "it").intent).toBe("greeting");
    // …while the natural questions about them work
    expect(parseQuestion("affluenza a Ora", "it").subject).toBe("Ora");
    expect(parseQuestion("Ultimo", "it").subject).toBe("Ultimo");
    expect(parseQuestion("chi ha vinto a Salve?", "it").subject).toBe("Salve");
  });
});
