"""Every word the reports print that does not come from the questionnaire, in
English and French. A test checks both languages have the same keys."""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("en", "fr")

LABELS: dict[str, dict[str, str]] = {
    "gap_report": {"en": "Gap report", "fr": "Rapport d'analyse des lacunes"},
    "summary": {"en": "Summary for ministries", "fr": "Synthèse à l'intention des ministères"},
    "protocol_name": {
        "en": "Protocol to Prevent, Suppress and Punish Trafficking in Persons, "
              "Especially Women and Children",
        "fr": "Protocole visant à prévenir, réprimer et punir la traite des personnes, "
              "en particulier des femmes et des enfants",
    },
    "download": {"en": "Reports", "fr": "Rapports"},
    "preview": {"en": "Preview in the browser", "fr": "Aperçu dans le navigateur"},
    "colon": {"en": ":", "fr": "\u00a0:"},
    "country": {"en": "Country", "fr": "Pays"},
    "cycle": {"en": "Reporting cycle", "fr": "Cycle de rapport"},
    "questionnaire": {"en": "Questionnaire", "fr": "Questionnaire"},
    "version": {"en": "version", "fr": "version"},
    "status": {"en": "Status", "fr": "Statut"},
    "submitted_on": {"en": "Submitted on", "fr": "Soumis le"},
    "not_submitted": {"en": "Not submitted", "fr": "Non soumis"},
    "page": {"en": "Page", "fr": "Page"},
    "of": {"en": "of", "fr": "sur"},
    "contents": {"en": "Contents", "fr": "Table des matières"},
    "executive_summary": {"en": "Executive summary", "fr": "Résumé analytique"},
    "overall_score": {"en": "Overall score", "fr": "Note globale"},
    "completeness": {"en": "Completeness", "fr": "Taux de réponse"},
    "good_practice_score": {"en": "Good practice score", "fr": "Note des bonnes pratiques"},
    "theme": {"en": "Theme", "fr": "Thème"},
    "score": {"en": "Score", "fr": "Note"},
    "not_scored": {"en": "not scored", "fr": "non noté"},
    "no_score": {"en": "no score yet", "fr": "pas encore de note"},
    "scores_by_theme": {"en": "Scores by theme (out of 100)", "fr": "Notes par thème (sur 100)"},
    "score_note": {
        "en": "Scores are weighted means of the answers scored, out of 100; completeness is "
              "the share of the questions asked that were answered.",
        "fr": "Les notes sont des moyennes pondérées des réponses notées, sur 100 ; le taux de "
              "réponse est la part des questions posées qui ont reçu une réponse.",
    },
    "gap_count": {"en": "Gaps found", "fr": "Lacunes relevées"},
    "provisions": {"en": "Provisions of the Protocol", "fr": "Dispositions du Protocole"},
    "untoc_provisions": {
        "en": "Provisions of the Convention against Transnational Organized Crime",
        "fr": "Dispositions de la Convention contre la criminalité transnationale organisée",
    },
    "good_practices": {"en": "Good practices", "fr": "Bonnes pratiques"},
    "good_practice_note": {
        "en": "Good practices are not treaty obligations; a shortfall here is never "
              "non-compliance.",
        "fr": "Les bonnes pratiques ne sont pas des obligations conventionnelles ; une lacune "
              "ici ne constitue jamais un manquement.",
    },
    "provision": {"en": "Provision", "fr": "Disposition"},
    "provision_status": {"en": "Provisions and their status",
                         "fr": "Dispositions et état de leur mise en œuvre"},
    "indicator": {"en": "Indicator", "fr": "Indicateur"},
    "obligation": {"en": "Obligation", "fr": "Obligation"},
    "article": {"en": "Art.", "fr": "Art."},
    "gaps": {"en": "Gaps and recommendations", "fr": "Lacunes et recommandations"},
    "gaps_intro": {
        "en": "Most severe first: severity is the obligation weight times the shortfall.",
        "fr": "Les plus graves d'abord : la gravité est le poids de l'obligation multiplié "
              "par l'écart.",
    },
    "top_gaps": {"en": "Most severe gaps", "fr": "Lacunes les plus graves"},
    "more_gaps": {
        "en": "further gaps are listed in the full gap report.",
        "fr": "autres lacunes figurent dans le rapport complet.",
    },
    "no_gaps": {"en": "No gap was found.", "fr": "Aucune lacune n'a été relevée."},
    "good_practice_gaps": {"en": "Good practices to consider",
                           "fr": "Bonnes pratiques à envisager"},
    "severity": {"en": "Severity", "fr": "Gravité"},
    "answer_given": {"en": "Answer given", "fr": "Réponse donnée"},
    "recommendation": {"en": "Recommendation", "fr": "Recommandation"},
    "statistics": {"en": "Statistics", "fr": "Statistiques"},
    "key_statistics": {"en": "Key statistics", "fr": "Statistiques clés"},
    "no_statistics": {"en": "No statistics were given.",
                      "fr": "Aucune statistique n'a été fournie."},
    "year": {"en": "Year", "fr": "Année"},
    "total": {"en": "Total", "fr": "Total"},
    "appendix": {"en": "Appendix: all answers", "fr": "Annexe : toutes les réponses"},
    "explanation": {"en": "Explanation", "fr": "Explication"},
    "legal_references": {"en": "Legal references", "fr": "Références juridiques"},
    "comments": {"en": "Comments of the secretariat", "fr": "Observations du secrétariat"},
    "general_comments": {"en": "General comments", "fr": "Observations générales"},
    "comment_on": {"en": "On question", "fr": "Sur la question"},
    "no_comments": {"en": "No comments.", "fr": "Aucune observation."},
    "not_answered": {"en": "Not answered", "fr": "Sans réponse"},
    "not_applicable": {"en": "Not applicable", "fr": "Sans objet"},
    "see_table": {"en": "See the Statistics section.", "fr": "Voir la section Statistiques."},
    "chart": {"en": "Chart", "fr": "Graphique"},
    "generated_by": {
        "en": "Self-assessment of the Trafficking in Persons Protocol",
        "fr": "Auto-évaluation du Protocole relatif à la traite des personnes",
    },
    "keywords": {
        "en": "trafficking in persons, Protocol, self-assessment, gap analysis",
        "fr": "traite des personnes, Protocole, auto-évaluation, analyse des lacunes",
    },
    # Statuses of provisions
    "met": {"en": "Met", "fr": "Respectée"},
    "partly_met": {"en": "Partly met", "fr": "Partiellement respectée"},
    "not_met": {"en": "Not met", "fr": "Non respectée"},
    "not_assessed": {"en": "Not assessed", "fr": "Non évaluée"},
    # Good practices are not obligations: their status never says "not met".
    "gp_met": {"en": "In place", "fr": "En place"},
    "gp_partly_met": {"en": "Partly in place", "fr": "Partiellement en place"},
    "gp_not_met": {"en": "Not in place", "fr": "Pas en place"},
    "gp_not_assessed": {"en": "Not assessed", "fr": "Non évaluée"},
    # Obligation strengths
    "mandatory": {"en": "Mandatory", "fr": "Impérative"},
    "mandatory_qualified": {"en": "Mandatory (qualified)", "fr": "Impérative (nuancée)"},
    "consider": {"en": "To consider", "fr": "À envisager"},
    "endeavour": {"en": "To endeavour", "fr": "S'efforcer"},
    "good_practice": {"en": "Good practice", "fr": "Bonne pratique"},
    "none": {"en": "None", "fr": "Aucune"},
    # Assessment states
    "draft": {"en": "Draft", "fr": "Brouillon"},
    "submitted": {"en": "Submitted", "fr": "Soumis"},
    "changes_requested": {"en": "Changes requested", "fr": "Modifications demandées"},
    "accepted": {"en": "Accepted", "fr": "Accepté"},
    # Statistics breakdowns
    "female": {"en": "Female", "fr": "Femmes"},
    "male": {"en": "Male", "fr": "Hommes"},
    "other": {"en": "Other", "fr": "Autre"},
    "adult": {"en": "Adults", "fr": "Adultes"},
    "child": {"en": "Children", "fr": "Enfants"},
    "sexual_exploitation": {"en": "Sexual exploitation", "fr": "Exploitation sexuelle"},
    "forced_labour": {"en": "Forced labour", "fr": "Travail forcé"},
    "organ_removal": {"en": "Removal of organs", "fr": "Prélèvement d'organes"},
    "begging": {"en": "Forced begging", "fr": "Mendicité forcée"},
    "forced_criminality": {"en": "Forced criminality", "fr": "Criminalité forcée"},
    "illegal_adoption": {"en": "Illegal adoption", "fr": "Adoption illégale"},
    "forced_marriage": {"en": "Forced marriage", "fr": "Mariage forcé"},
}

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
}


def labels_for(lang: str) -> dict[str, str]:
    lang = lang if lang in LANGUAGES else "en"
    return {key: values[lang] for key, values in LABELS.items()}


def format_date(value: dt.date | str | None, lang: str) -> str:
    """'30 November 2026' / '30 novembre 2026'; '' for nothing, the input when unparsable."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    months = _MONTHS.get(lang, _MONTHS["en"])
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """Thousands separated the local way: 12,345.5 in English, 12 345,5 in French."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text
