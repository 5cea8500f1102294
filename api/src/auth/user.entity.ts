import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { DateTimeScalar, type Timestamp } from '../timestamps';

@ObjectType({ description: 'A person with an account.' })
@Entity({ name: 'users' })
export class User {
  @Field(() => ID, { description: 'Stable identifier of the account.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Sign-in email, trimmed and lower-cased.' })
  @Index('users_email_key', { unique: true })
  @Column({ type: 'text' })
  email!: string;

  /** bcrypt hash; never exposed through GraphQL and never logged. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Field(() => DateTimeScalar, { description: 'When the account was created.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Timestamp;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Timestamp;
}
