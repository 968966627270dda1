// The Conduit schema in MySQL/MariaDB dialect, side by side with ../../migrations. The
// differences a learner trips on are commented here and tabled in the README.

/** Why utf8mb4_unicode_ci: real 4-byte UTF-8 (emoji), and case-insensitive comparison, which
 * makes the plain UNIQUE on email/username case-insensitive with no lower() index. */
const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

export const MYSQL_SCHEMA_UP: string[] = [
  `CREATE TABLE users (
    id            INT AUTO_INCREMENT PRIMARY KEY,
    -- VARCHAR, not TEXT: a unique index on TEXT needs a prefix length in MySQL.
    email         VARCHAR(254) NOT NULL,
    username      VARCHAR(64) NOT NULL,
    password_hash VARCHAR(255) NULL,
    bio           TEXT NULL,
    image         VARCHAR(2048) NULL,
    role          ENUM('user', 'editor', 'admin') NOT NULL DEFAULT 'user',
    created_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at    DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_email_check CHECK (CHAR_LENGTH(email) >= 3 AND email LIKE '%_@_%'),
    CONSTRAINT users_bio_check CHECK (bio <> ''),
    CONSTRAINT users_image_check CHECK (image <> '')
  ) ${TABLE_OPTIONS}`,
  `CREATE TABLE follows (
    follower_id INT NOT NULL,
    followee_id INT NOT NULL,
    created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (follower_id, followee_id),
    KEY follows_followee_idx (followee_id),
    CONSTRAINT follows_follower_fkey FOREIGN KEY (follower_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT follows_followee_fkey FOREIGN KEY (followee_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT follows_not_self CHECK (follower_id <> followee_id)
  ) ${TABLE_OPTIONS}`,
  `CREATE TABLE articles (
    id              INT AUTO_INCREMENT PRIMARY KEY,
    -- utf8mb4_bin: slugs compare byte for byte, like PostgreSQL text.
    slug            VARCHAR(255) COLLATE utf8mb4_bin NOT NULL,
    title           VARCHAR(255) NOT NULL,
    description     VARCHAR(1000) NOT NULL,
    body            MEDIUMTEXT NOT NULL,
    author_id       INT NOT NULL,
    favorites_count INT NOT NULL DEFAULT 0,
    created_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at      DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    CONSTRAINT articles_slug_key UNIQUE (slug),
    KEY articles_created_at_idx (created_at, id),
    KEY articles_author_created_at_idx (author_id, created_at, id),
    CONSTRAINT articles_author_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT articles_title_check CHECK (CHAR_LENGTH(title) >= 1),
    CONSTRAINT articles_description_check CHECK (CHAR_LENGTH(description) >= 1),
    CONSTRAINT articles_body_check CHECK (CHAR_LENGTH(body) >= 1),
    CONSTRAINT articles_favorites_count_check CHECK (favorites_count >= 0)
  ) ${TABLE_OPTIONS}`,
  `CREATE TABLE tags (
    id   INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    CONSTRAINT tags_name_key UNIQUE (name)
  ) ${TABLE_OPTIONS}`,
  `CREATE TABLE article_tags (
    article_id INT NOT NULL,
    tag_id     INT NOT NULL,
    position   SMALLINT NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, tag_id),
    KEY article_tags_tag_article_idx (tag_id, article_id),
    CONSTRAINT article_tags_article_fkey FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE,
    CONSTRAINT article_tags_tag_fkey FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE RESTRICT
  ) ${TABLE_OPTIONS}`,
  `CREATE TABLE favorites (
    user_id    INT NOT NULL,
    article_id INT NOT NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (user_id, article_id),
    KEY favorites_article_idx (article_id),
    CONSTRAINT favorites_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT favorites_article_fkey FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE
  ) ${TABLE_OPTIONS}`,
  `CREATE TABLE comments (
    id         INT AUTO_INCREMENT PRIMARY KEY,
    body       TEXT NOT NULL,
    article_id INT NOT NULL,
    author_id  INT NOT NULL,
    created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY comments_article_created_at_idx (article_id, created_at, id),
    CONSTRAINT comments_article_fkey FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE,
    CONSTRAINT comments_author_fkey FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT comments_body_check CHECK (CHAR_LENGTH(body) >= 1)
  ) ${TABLE_OPTIONS}`,
  // The favorites_count triggers. One trigger per event (MySQL has no "INSERT OR DELETE").
  `CREATE TRIGGER favorites_count_insert AFTER INSERT ON favorites FOR EACH ROW
     UPDATE articles SET favorites_count = favorites_count + 1 WHERE id = NEW.article_id`,
  `CREATE TRIGGER favorites_count_delete AFTER DELETE ON favorites FOR EACH ROW
     UPDATE articles SET favorites_count = favorites_count - 1 WHERE id = OLD.article_id`,
  // Why this third trigger: InnoDB's ON DELETE CASCADE does NOT fire triggers on the child
  // table. Deleting a user cascades to their favorites silently, and without this the counts
  // of the articles they liked would stay too high. (PostgreSQL cascades do fire triggers.)
  `CREATE TRIGGER favorites_count_user_delete BEFORE DELETE ON users FOR EACH ROW
     UPDATE articles a JOIN favorites f ON f.article_id = a.id
        SET a.favorites_count = a.favorites_count - 1
      WHERE f.user_id = OLD.id`,
];

export const MYSQL_SCHEMA_DOWN: string[] = [
  'DROP TABLE IF EXISTS comments',
  'DROP TABLE IF EXISTS favorites',
  'DROP TABLE IF EXISTS article_tags',
  'DROP TABLE IF EXISTS tags',
  'DROP TABLE IF EXISTS articles',
  'DROP TABLE IF EXISTS follows',
  'DROP TABLE IF EXISTS users',
];
