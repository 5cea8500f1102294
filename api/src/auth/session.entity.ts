import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from './user.entity';
import type { Timestamp } from '../timestamps';

export enum RefreshTokenDelivery {
  COOKIE = 'COOKIE',
  BODY = 'BODY',
}

/** One sign-in. Its id is the `sid` claim of the access tokens issued for it. */
@Entity({ name: 'sessions' })
@Index('sessions_user_id_idx', ['userId'])
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'sessions_user_id_fkey' })
  user?: Relation<User>;

  @Column({ type: 'text' })
  delivery!: RefreshTokenDelivery;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Timestamp;

  @Column({ name: 'last_used_at', type: 'timestamptz', default: () => 'now()' })
  lastUsedAt!: Timestamp;

  /** Absolute end of the session: sign-in time plus REFRESH_TOKEN_TTL. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Timestamp;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Timestamp | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;
}
