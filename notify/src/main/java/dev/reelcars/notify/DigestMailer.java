package dev.reelcars.notify;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the reviewers' digest, a plain-text summary of the queue, through an SMTP server. */
final class DigestMailer {
    private static final Logger log = LoggerFactory.getLogger(DigestMailer.class);
    /** How many pending items the digest lists by name; the rest are only counted. */
    static final int LISTED = 20;

    private final NotifyConfig.Mail mail;

    DigestMailer(NotifyConfig.Mail mail) {
        this.mail = mail;
    }

    boolean enabled() {
        return mail.enabled();
    }

    /** Sends the digest of {@code view}; throws when the SMTP server refuses it. */
    void send(ReviewQueue.QueueView view, String pageUrl) throws MessagingException {
        if (!mail.enabled()) {
            throw new IllegalStateException("no SMTP host or recipient configured");
        }
        Properties p = new Properties();
        p.put("mail.smtp.host", mail.host());
        p.put("mail.smtp.port", String.valueOf(mail.port()));
        // Bounded: a dead SMTP server must not hang the digest thread.
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        p.put("mail.smtp.writetimeout", "10000");
        Session session = Session.getInstance(p);
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(mail.from()));
        for (String to : mail.to()) {
            msg.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        }
        int pending = view.counts().getOrDefault("pending", 0) + view.counts().getOrDefault("disputed", 0);
        msg.setSubject("reelcars: " + pending + " matches waiting for review", "UTF-8");
        msg.setText(body(view, pageUrl), "UTF-8");
        Transport.send(msg);
        log.info("digest sent to {} recipients", mail.to().size());
    }

    static String body(ReviewQueue.QueueView view, String pageUrl) {
        StringBuilder b = new StringBuilder();
        b.append("Review queue\n");
        view.counts().forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        b.append("\nWaiting for review, best first:\n");
        view.items().stream().limit(LISTED).forEach(t -> {
            var c = t.candidates().isEmpty() ? null : t.candidates().get(0);
            b.append("  - ").append(t.still().film() == null ? "(unknown film)" : t.still().film());
            if (t.still().year() != null) {
                b.append(" (").append(t.still().year()).append(')');
            }
            if (c != null) {
                b.append(": ").append(c.label()).append(String.format(java.util.Locale.ROOT, " %.0f%%",
                        c.confidence() * 100));
            }
            b.append(t.status() == ReviewQueue.Status.DISPUTED ? " [disputed]" : "").append('\n');
        });
        if (view.items().size() > LISTED) {
            b.append("  ... and ").append(view.items().size() - LISTED).append(" more\n");
        }
        b.append("\nUnidentified stills: ").append(view.unidentified().size()).append('\n');
        b.append("\nOpen the workbench: ").append(pageUrl).append('\n');
        return b.toString();
    }
}
